package io.kms4j;

import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A data key from {@code GenerateDataKey}: the plaintext key for local encryption, and the same key encrypted
 * under a KMS key (the {@linkplain #ciphertextBlob() ciphertext blob}) to store beside the data.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The plaintext is copied in when the data key is made and copied out on every
 *       {@link #plaintext()} call; no caller ever holds a reference to the internal array.
 *   <li>{@link #close()} and {@link #destroy()} overwrite the plaintext with zeros; use try-with-resources.
 *   <li>{@link #toString()} never shows the plaintext.
 * </ul>
 *
 * <p>Thread safety: safe for use from several threads; destruction is atomic with respect to copies.
 */
public final class DataKey extends SecretHolder {
    private final byte[] ciphertextBlob;
    private final String keyId;

    private DataKey(byte[] plaintext, byte[] ciphertextBlob, String keyId) {
        super(plaintext);
        this.ciphertextBlob = ciphertextBlob.clone();
        this.keyId = keyId;
    }

    /**
     * Makes a data key holding copies of the given arrays; the caller should wipe its own plaintext array.
     *
     * @param plaintext the plaintext key bytes
     * @param ciphertextBlob the key encrypted under the KMS key
     * @param keyId the full identifier (ARN or key URI) of the KMS key that encrypted it
     */
    public static DataKey of(byte[] plaintext, byte[] ciphertextBlob, String keyId) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(ciphertextBlob, "ciphertextBlob");
        Objects.requireNonNull(keyId, "keyId");
        return new DataKey(plaintext, ciphertextBlob, keyId);
    }

    /**
     * A fresh copy of the plaintext key; wipe it when done.
     *
     * @throws IllegalStateException after the data key was closed or destroyed
     */
    public byte[] plaintext() {
        return copySecret();
    }

    /**
     * The plaintext as a JCA {@link SecretKey} for {@code algorithm} (for example {@code "AES"}).
     *
     * <p>The JDK's {@link SecretKeySpec} keeps its own copy, which cannot be wiped on JDK 17; prefer
     * {@link #plaintext()} with explicit wiping where that matters.
     *
     * @throws IllegalStateException after the data key was closed or destroyed
     */
    public SecretKey toSecretKey(String algorithm) {
        byte[] copy = copySecret();
        try {
            return new SecretKeySpec(copy, algorithm);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
    }

    /** The plaintext key length in bytes. */
    public int length() {
        return secretLength();
    }

    /** A copy of the encrypted data key, to store beside the data; not secret. */
    public byte[] ciphertextBlob() {
        return ciphertextBlob.clone();
    }

    /** The full identifier of the KMS key that encrypted the data key. */
    public String keyId() {
        return keyId;
    }

    /** Shows the key id and length, never the plaintext. */
    @Override
    public String toString() {
        return "DataKey[keyId=" + keyId + ", length=" + length() + ", plaintext=<redacted>"
                + (isDestroyed() ? ", destroyed" : "") + "]";
    }
}
