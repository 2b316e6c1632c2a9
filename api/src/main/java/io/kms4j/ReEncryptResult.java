package io.kms4j;

import java.util.Objects;

/**
 * The result of {@code ReEncrypt}: the new ciphertext, the key it is now under, and the key it was under.
 * Nothing here is secret; the plaintext never leaves the provider.
 *
 * <p>Thread safety: immutable (the blob is copied in and out).
 */
public final class ReEncryptResult {
    private final byte[] ciphertextBlob;
    private final String keyId;
    private final String sourceKeyId;

    private ReEncryptResult(byte[] ciphertextBlob, String keyId, String sourceKeyId) {
        this.ciphertextBlob = ciphertextBlob.clone();
        this.keyId = keyId;
        this.sourceKeyId = sourceKeyId;
    }

    /** Makes a result holding a copy of {@code ciphertextBlob}. */
    public static ReEncryptResult of(byte[] ciphertextBlob, String keyId, String sourceKeyId) {
        Objects.requireNonNull(ciphertextBlob, "ciphertextBlob");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sourceKeyId, "sourceKeyId");
        return new ReEncryptResult(ciphertextBlob, keyId, sourceKeyId);
    }

    /** A copy of the new ciphertext blob. */
    public byte[] ciphertextBlob() {
        return ciphertextBlob.clone();
    }

    /** The full identifier of the destination key. */
    public String keyId() {
        return keyId;
    }

    /** The full identifier of the key the ciphertext was under before. */
    public String sourceKeyId() {
        return sourceKeyId;
    }

    @Override
    public String toString() {
        return "ReEncryptResult[keyId=" + keyId + ", sourceKeyId=" + sourceKeyId + ", ciphertextBlob="
                + ciphertextBlob.length + " bytes]";
    }
}
