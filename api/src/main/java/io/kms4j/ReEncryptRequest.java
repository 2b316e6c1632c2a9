package io.kms4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The parameters of {@code ReEncrypt}: decrypt a ciphertext and encrypt its plaintext under another key (or
 * another context) without the plaintext ever leaving the provider. Build with {@link #builder()}.
 *
 * <p>Thread safety: immutable; the blob is copied in and out.
 */
public final class ReEncryptRequest {
    private final byte[] ciphertextBlob;
    private final Map<String, String> sourceEncryptionContext;
    private final String sourceKeyId;
    private final String destinationKeyId;
    private final Map<String, String> destinationEncryptionContext;

    private ReEncryptRequest(Builder b) {
        this.ciphertextBlob = b.ciphertextBlob == null ? null : b.ciphertextBlob.clone();
        this.sourceEncryptionContext = b.sourceEncryptionContext == null ? Map.of() : b.sourceEncryptionContext;
        this.sourceKeyId = b.sourceKeyId;
        this.destinationKeyId = b.destinationKeyId;
        this.destinationEncryptionContext =
                b.destinationEncryptionContext == null ? Map.of() : b.destinationEncryptionContext;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy of the ciphertext blob, or null. */
    public byte[] ciphertextBlob() {
        return ciphertextBlob == null ? null : ciphertextBlob.clone();
    }

    /** The context the ciphertext was made with; never null. */
    public Map<String, String> sourceEncryptionContext() {
        return sourceEncryptionContext;
    }

    /** The key the ciphertext must have been made under, or null for any. */
    public String sourceKeyId() {
        return sourceKeyId;
    }

    /** The key to encrypt under; required. */
    public String destinationKeyId() {
        return destinationKeyId;
    }

    /** The context for the new ciphertext; never null. */
    public Map<String, String> destinationEncryptionContext() {
        return destinationEncryptionContext;
    }

    /**
     * Builds a {@link ReEncryptRequest}. Setters do not throw; values are checked inside the audited call.
     * Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private byte[] ciphertextBlob;
        private Map<String, String> sourceEncryptionContext;
        private String sourceKeyId;
        private String destinationKeyId;
        private Map<String, String> destinationEncryptionContext;

        private Builder() {
        }

        /** The ciphertext to re-encrypt; copied at {@link #build()}. */
        public Builder ciphertextBlob(byte[] ciphertextBlob) {
            this.ciphertextBlob = ciphertextBlob;
            return this;
        }

        /** The context the ciphertext was made with; copied. */
        public Builder sourceEncryptionContext(Map<String, String> context) {
            this.sourceEncryptionContext = context == null ? null : new HashMap<>(context);
            return this;
        }

        /** The key the ciphertext must have been made under. */
        public Builder sourceKeyId(String keyId) {
            this.sourceKeyId = keyId;
            return this;
        }

        /** The key to encrypt under. */
        public Builder destinationKeyId(String keyId) {
            this.destinationKeyId = keyId;
            return this;
        }

        /** The context for the new ciphertext; copied. */
        public Builder destinationEncryptionContext(Map<String, String> context) {
            this.destinationEncryptionContext = context == null ? null : new HashMap<>(context);
            return this;
        }

        /** Makes the request. */
        public ReEncryptRequest build() {
            return new ReEncryptRequest(this);
        }
    }
}
