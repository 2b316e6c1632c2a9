package io.kms4j;

/**
 * The type of a key, named as AWS KMS names it. Thread safety: immutable enum constants.
 *
 * <p>{@link #SYMMETRIC_DEFAULT} is AES-256-GCM on every provider. Asymmetric specs are optional: a provider
 * that cannot make them refuses {@code CreateKey} with {@link UnsupportedKmsOperationException}.
 */
public enum KeySpec {
    /** AES-256 in GCM mode; the default for {@link KeyUsage#ENCRYPT_DECRYPT}. */
    SYMMETRIC_DEFAULT(true),
    RSA_2048(false),
    RSA_3072(false),
    RSA_4096(false),
    ECC_NIST_P256(false),
    ECC_NIST_P384(false);

    private final boolean symmetric;

    KeySpec(boolean symmetric) {
        this.symmetric = symmetric;
    }

    /** Whether this is a symmetric (secret) key spec. */
    public boolean isSymmetric() {
        return symmetric;
    }
}
