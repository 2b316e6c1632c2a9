package io.kms4j.envelope;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.MessageFormat;
import java.util.List;

/**
 * What an envelope message's header says, read without decrypting anything: for tools, logs and routing (for
 * example, to find which keys can decrypt a message). Nothing here is authenticated until the message is
 * decrypted; never make a security decision on it alone.
 *
 * <p>Thread safety: immutable.
 */
public final class EnvelopeHeader {
    private final MessageFormat.Header header;

    private EnvelopeHeader(MessageFormat.Header header) {
        this.header = header;
    }

    /**
     * Parses the header at the start of a message (or of the first bytes of one).
     *
     * @throws ValidationException when {@code message} is null
     * @throws InvalidCiphertextException when the bytes are not a well-formed version-1 envelope header
     */
    public static EnvelopeHeader parse(byte[] message) {
        if (message == null) {
            throw new ValidationException("message is required");
        }
        return new EnvelopeHeader(MessageFormat.parse(message, message.length, MessageFormat.MAX_WRAPPED_KEYS));
    }

    /** The format version; 1. */
    public int formatVersion() {
        return MessageFormat.VERSION;
    }

    /** The algorithm suite. */
    public EnvelopeAlgorithm algorithm() {
        return EnvelopeAlgorithm.AES_256_GCM_HKDF_SHA256_COMMIT;
    }

    /** The encryption context the message was encrypted with. */
    public EncryptionContext encryptionContext() {
        return header.context();
    }

    /** The keys the data key is wrapped under, in header order. */
    public List<WrappedKeyInfo> wrappedKeys() {
        return header.wrappedKeyInfos();
    }

    /** The message's number under its data key (0 for a data key's first message). */
    public long messageNumber() {
        return header.messageNumber();
    }

    /** The plaintext bytes per frame. */
    public int frameLength() {
        return header.frameLength();
    }

    /** The header's length in bytes; the frames follow. */
    public int length() {
        return header.length();
    }

    @Override
    public String toString() {
        return "EnvelopeHeader[v" + formatVersion() + ", " + algorithm() + ", context=" + encryptionContext().asMap()
                + ", wrappedKeys=" + wrappedKeys() + ", messageNumber=" + messageNumber() + ", frameLength="
                + frameLength() + "]";
    }
}
