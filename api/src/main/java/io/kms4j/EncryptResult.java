package io.kms4j;

import java.util.Objects;

/**
 * The result of {@code Encrypt}, {@code ReEncrypt} or {@code GenerateDataKeyWithoutPlaintext}: a ciphertext
 * blob and the key it was made under. Nothing here is secret.
 *
 * <p>Thread safety: immutable (the blob is copied in and out).
 */
public final class EncryptResult {
    private final byte[] ciphertextBlob;
    private final String keyId;

    private EncryptResult(byte[] ciphertextBlob, String keyId) {
        this.ciphertextBlob = ciphertextBlob.clone();
        this.keyId = keyId;
    }

    /**
     * Makes a result holding a copy of {@code ciphertextBlob}.
     *
     * @param keyId the full identifier (ARN or key URI) of the key that made the ciphertext
     */
    public static EncryptResult of(byte[] ciphertextBlob, String keyId) {
        Objects.requireNonNull(ciphertextBlob, "ciphertextBlob");
        Objects.requireNonNull(keyId, "keyId");
        return new EncryptResult(ciphertextBlob, keyId);
    }

    /** A copy of the ciphertext blob. It names its key, so Decrypt needs no key id. */
    public byte[] ciphertextBlob() {
        return ciphertextBlob.clone();
    }

    /** The full identifier of the key that made the ciphertext. */
    public String keyId() {
        return keyId;
    }

    /** The algorithm used; always {@link EncryptionAlgorithm#SYMMETRIC_DEFAULT}. */
    public EncryptionAlgorithm encryptionAlgorithm() {
        return EncryptionAlgorithm.SYMMETRIC_DEFAULT;
    }

    @Override
    public String toString() {
        return "EncryptResult[keyId=" + keyId + ", ciphertextBlob=" + ciphertextBlob.length + " bytes]";
    }
}
