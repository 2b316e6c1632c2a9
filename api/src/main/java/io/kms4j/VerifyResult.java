package io.kms4j;

import java.util.Objects;

/**
 * The result of a {@code Verify} that found the signature valid. An invalid signature is never a result: it is
 * a {@link KmsInvalidSignatureException}, as in AWS KMS.
 *
 * @param keyId the full identifier (ARN or key URI) of the key that verified the signature
 * @param signingAlgorithm the algorithm the signature was verified with
 *
 * <p>Thread safety: immutable.
 */
public record VerifyResult(String keyId, SigningAlgorithm signingAlgorithm) {

    /** Checks that both components are present. */
    public VerifyResult {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
    }

    /** Always true, as AWS's {@code SignatureValid}: an invalid signature throws instead. */
    public boolean signatureValid() {
        return true;
    }
}
