package io.kms4j;

import java.util.Objects;

/**
 * The result of {@code Decrypt}: the plaintext and the key that decrypted it.
 *
 * <h2>Security guarantees</h2>
 * The plaintext is copied in and out, wiped by {@link #close()} / {@link #destroy()}, and never shown by
 * {@link #toString()}. Use try-with-resources.
 *
 * <p>Thread safety: safe for use from several threads; destruction is atomic with respect to copies.
 */
public final class DecryptResult extends SecretHolder {
    private final String keyId;
    private final EncryptionAlgorithm encryptionAlgorithm;

    private DecryptResult(byte[] plaintext, String keyId) {
        super(plaintext);
        this.keyId = keyId;
        this.encryptionAlgorithm = EncryptionAlgorithm.SYMMETRIC_DEFAULT;
    }

    /**
     * Makes a result holding a copy of {@code plaintext}; the caller should wipe its own array.
     *
     * @param keyId the full identifier (ARN or key URI) of the key that decrypted the ciphertext
     */
    public static DecryptResult of(byte[] plaintext, String keyId) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(keyId, "keyId");
        return new DecryptResult(plaintext, keyId);
    }

    /**
     * A fresh copy of the plaintext; wipe it when done.
     *
     * @throws IllegalStateException after the result was closed or destroyed
     */
    public byte[] plaintext() {
        return copySecret();
    }

    /** The plaintext length in bytes. */
    public int length() {
        return secretLength();
    }

    /** The full identifier of the key that decrypted the ciphertext. */
    public String keyId() {
        return keyId;
    }

    /** The algorithm used; always {@link EncryptionAlgorithm#SYMMETRIC_DEFAULT} for symmetric keys. */
    public EncryptionAlgorithm encryptionAlgorithm() {
        return encryptionAlgorithm;
    }

    /** Shows the key id and length, never the plaintext. */
    @Override
    public String toString() {
        return "DecryptResult[keyId=" + keyId + ", length=" + length() + ", plaintext=<redacted>]";
    }
}
