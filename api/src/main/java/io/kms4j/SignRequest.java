package io.kms4j;

/**
 * The parameters of {@code Sign} and {@code Verify}. Build with {@link #builder()}.
 *
 * <p>The key id, the message and the signing algorithm are required; the message type defaults to
 * {@link MessageType#RAW}. For {@code Verify} the signature is required too; {@code Sign} ignores it.
 *
 * <p>Thread safety: immutable; byte arrays are copied in and out.
 */
public final class SignRequest {
    private final String keyId;
    private final byte[] message;
    private final MessageType messageType;
    private final SigningAlgorithm signingAlgorithm;
    private final byte[] signature;

    private SignRequest(Builder b) {
        this.keyId = b.keyId;
        this.message = b.message == null ? null : b.message.clone();
        this.messageType = b.messageType == null ? MessageType.RAW : b.messageType;
        this.signingAlgorithm = b.signingAlgorithm;
        this.signature = b.signature == null ? null : b.signature.clone();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The signing key, in any key-id form; null when none was set. */
    public String keyId() {
        return keyId;
    }

    /** A copy of the message (or its digest), or null when none was set. */
    public byte[] message() {
        return message == null ? null : message.clone();
    }

    /** Whether the message is the message itself or its digest; never null. */
    public MessageType messageType() {
        return messageType;
    }

    /** The signing algorithm, or null when none was set. */
    public SigningAlgorithm signingAlgorithm() {
        return signingAlgorithm;
    }

    /** A copy of the signature to verify, or null when none was set. */
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public String toString() {
        // The message may be sensitive (it is signed, not encrypted, but callers may not expect it in logs).
        return "SignRequest[keyId=" + keyId + ", messageType=" + messageType + ", signingAlgorithm="
                + signingAlgorithm + ", message=" + (message == null ? "none" : message.length + " bytes") + "]";
    }

    /**
     * Builds a {@link SignRequest}. Setters do not throw: values are checked by {@link Kms#sign} and
     * {@link Kms#verify} inside the audited call. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private String keyId;
        private byte[] message;
        private MessageType messageType;
        private SigningAlgorithm signingAlgorithm;
        private byte[] signature;

        private Builder() {
        }

        /** The asymmetric key with usage {@link KeyUsage#SIGN_VERIFY}, in any key-id form. */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** The message (1 to 4096 bytes) or its digest; copied at {@link #build()}. */
        public Builder message(byte[] message) {
            this.message = message;
            return this;
        }

        /** {@link MessageType#RAW} (the default) or {@link MessageType#DIGEST}. */
        public Builder messageType(MessageType messageType) {
            this.messageType = messageType;
            return this;
        }

        /** The algorithm; it must fit the key's spec. */
        public Builder signingAlgorithm(SigningAlgorithm signingAlgorithm) {
            this.signingAlgorithm = signingAlgorithm;
            return this;
        }

        /** The signature to verify (Verify only); copied at {@link #build()}. */
        public Builder signature(byte[] signature) {
            this.signature = signature;
            return this;
        }

        /** Makes the request. */
        public SignRequest build() {
            return new SignRequest(this);
        }
    }
}
