/**
 * kms4j as a Google Tink KMS: {@link io.kms4j.tink.Kms4jKmsClient} serves {@code kms4j:} key URIs on every kms4j
 * backend, so Tink's {@code KmsEnvelopeAead} and encrypted keysets work over a PKCS#11 HSM, AWS KMS or the dev-only
 * local provider, with every key use in kms4j's audit trail. See {@code docs/TINK.md}.
 */
package io.kms4j.tink;
