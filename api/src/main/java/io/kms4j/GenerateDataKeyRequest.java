package io.kms4j;

import java.util.HashMap;
import java.util.Map;

/**
 * The parameters of {@code GenerateDataKey} and {@code GenerateDataKeyWithoutPlaintext}. Build with
 * {@link #builder()}. Give exactly one of a {@linkplain Builder#keySpec key spec} or a
 * {@linkplain Builder#numberOfBytes byte count} (1 to 1024); with neither, {@link DataKeySpec#AES_256}.
 *
 * <p>Thread safety: immutable.
 */
public final class GenerateDataKeyRequest {
    private final String keyId;
    private final DataKeySpec keySpec;
    private final Integer numberOfBytes;
    private final Map<String, String> encryptionContext;

    private GenerateDataKeyRequest(Builder b) {
        this.keyId = b.keyId;
        this.keySpec = b.keySpec;
        this.numberOfBytes = b.numberOfBytes;
        this.encryptionContext = b.encryptionContext == null ? Map.of() : b.encryptionContext;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The KMS key to encrypt the data key under (any key-id form). */
    public String keyId() {
        return keyId;
    }

    /** The requested spec, or null when a byte count (or nothing) was given. */
    public DataKeySpec keySpec() {
        return keySpec;
    }

    /** The requested byte count, or null when a spec (or nothing) was given. */
    public Integer numberOfBytes() {
        return numberOfBytes;
    }

    /** The encryption context bound to the encrypted data key; never null. */
    public Map<String, String> encryptionContext() {
        return encryptionContext;
    }

    /**
     * Builds a {@link GenerateDataKeyRequest}. Setters do not throw; values are checked inside the audited
     * call. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private String keyId;
        private DataKeySpec keySpec;
        private Integer numberOfBytes;
        private Map<String, String> encryptionContext;

        private Builder() {
        }

        /** The KMS key to encrypt the data key under. */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** The data key's length as a spec. */
        public Builder keySpec(DataKeySpec keySpec) {
            this.keySpec = keySpec;
            return this;
        }

        /** The data key's length in bytes, 1 to 1024. */
        public Builder numberOfBytes(int numberOfBytes) {
            this.numberOfBytes = numberOfBytes;
            return this;
        }

        /** The encryption context; copied. */
        public Builder encryptionContext(Map<String, String> context) {
            this.encryptionContext = context == null ? null : new HashMap<>(context);
            return this;
        }

        /** Makes the request. */
        public GenerateDataKeyRequest build() {
            return new GenerateDataKeyRequest(this);
        }
    }
}
