package io.kms4j;

/**
 * What a key may be used for, named as AWS KMS names it. Thread safety: immutable enum constants.
 */
public enum KeyUsage {
    /** Encrypt, Decrypt, ReEncrypt and the data-key operations. The default. */
    ENCRYPT_DECRYPT,
    /** Sign and Verify (asymmetric keys only). */
    SIGN_VERIFY
}
