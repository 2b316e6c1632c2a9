package io.kms4j;

import java.util.Map;

/**
 * The parameters of {@code Decrypt}. Build with {@link #builder()}.
 *
 * <p>Only the ciphertext blob is required: it names the key that made it. An expected key id, when given,
 * must name that same key, else the call fails with {@link IncorrectKeyException}. The encryption context
 * must be exactly the one used to encrypt (order does not matter).
 *
 * <p>Thread safety: immutable; the blob is copied in and out.
 */
public final class DecryptRequest {
    private final byte[] ciphertextBlob;
    private final Map<String, String> encryptionContext;
    private final String keyId;

    private DecryptRequest(Builder b) {
        this.ciphertextBlob = b.ciphertextBlob == null ? null : b.ciphertextBlob.clone();
        this.encryptionContext = b.encryptionContext == null ? Map.of() : b.encryptionContext;
        this.keyId = b.keyId;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of the ciphertext blob, or null when none was set. */
    public byte[] ciphertextBlob() {
        return ciphertextBlob == null ? null : ciphertextBlob.clone();
    }

    /** The encryption context as given; never null. */
    public Map<String, String> encryptionContext() {
        return encryptionContext;
    }

    /** The expected key, or null when any key may have made the ciphertext. */
    public String keyId() {
        return keyId;
    }

    /**
     * Builds a {@link DecryptRequest}. Setters do not throw: values are checked by {@link Kms#decrypt} inside
     * the audited call. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private byte[] ciphertextBlob;
        private Map<String, String> encryptionContext;
        private String keyId;

        private Builder() {
        }

        /** The ciphertext blob from Encrypt, ReEncrypt or GenerateDataKey; copied at {@link #build()}. */
        public Builder ciphertextBlob(byte[] ciphertextBlob) {
            this.ciphertextBlob = ciphertextBlob;
            return this;
        }

        /** The encryption context used to encrypt; copied. */
        public Builder encryptionContext(Map<String, String> encryptionContext) {
            this.encryptionContext = encryptionContext == null ? null : new java.util.HashMap<>(encryptionContext);
            return this;
        }

        /** The key the ciphertext must have been made under (any key-id form). */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** Makes the request. */
        public DecryptRequest build() {
            return new DecryptRequest(this);
        }
    }
}
