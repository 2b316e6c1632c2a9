package io.kms4j.envelope.internal;

import io.kms4j.InvalidCiphertextException;
import io.kms4j.ValidationException;
import java.util.Arrays;

/**
 * Whole messages in byte arrays: the encrypt and decrypt hot paths. Each writes or reads the message in place,
 * with one allocation (the output) and no copies.
 *
 * <p>Not API. Thread safety: stateless; the {@link FrameCipher} passed in must be the caller's own.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * Encrypts a whole byte array into one message under {@code entry}'s key with the given message number.
     *
     * @throws ValidationException when the message would not fit in a byte array
     */
    public static byte[] seal(CachedDataKey entry, long messageNumber, byte[] plaintext, FrameCipher cipher) {
        int frameLength = entry.frameLength();
        long bodyAndTail = MessageFormat.bodyLength(plaintext.length, frameLength) + MessageFormat.TAIL_LENGTH;
        byte[] section = entry.dataKeySection();
        int h = section.length;
        long total = h + bodyAndTail;
        if (total > Integer.MAX_VALUE - 16) {
            throw new ValidationException("a " + plaintext.length + "-byte plaintext makes a message too large for a "
                    + "byte array; use encryptingStream");
        }
        byte[] out = new byte[(int) total];
        System.arraycopy(section, 0, out, 0, h);
        MessageFormat.putInt(out, h, (int) messageNumber);
        WipeableSecretKey key = entry.contentKey();
        int pos = h + MessageFormat.TAIL_LENGTH;
        int in = 0;
        long frame = 0;
        long regularFrames = MessageFormat.regularFrames(plaintext.length, frameLength);
        for (; frame < regularFrames; frame++) {
            out[pos++] = MessageFormat.REGULAR_FRAME;
            pos += cipher.seal(key, messageNumber, frame, false, plaintext, in, frameLength, out, pos);
            in += frameLength;
        }
        int last = plaintext.length - in;
        out[pos++] = MessageFormat.FINAL_FRAME;
        MessageFormat.putInt(out, pos, last);
        pos += 4;
        cipher.seal(key, messageNumber, frame, true, plaintext, in, last, out, pos);
        return out;
    }

    /**
     * Walks the frames, checking their structure (types, lengths, nothing missing or after the final frame), and
     * returns the plaintext length. Nothing is decrypted yet.
     */
    public static int plaintextLength(byte[] m, int bodyStart, int frameLength) {
        long total = 0;
        int pos = bodyStart;
        int length = m.length;
        for (;;) {
            if (pos >= length) {
                throw MessageFormat.truncated();
            }
            byte type = m[pos];
            if (type == MessageFormat.REGULAR_FRAME) {
                if (length - pos < MessageFormat.REGULAR_FRAME_OVERHEAD + (long) frameLength) {
                    throw MessageFormat.truncated();
                }
                pos += MessageFormat.REGULAR_FRAME_OVERHEAD + frameLength;
                total += frameLength;
            } else if (type == MessageFormat.FINAL_FRAME) {
                if (length - pos < 5) {
                    throw MessageFormat.truncated();
                }
                long last = MessageFormat.getUint32(m, pos + 1);
                if (last > frameLength) {
                    throw new InvalidCiphertextException("the envelope message's final frame is longer than its "
                            + "frame length");
                }
                if (length - pos < MessageFormat.FINAL_FRAME_OVERHEAD + last) {
                    throw MessageFormat.truncated();
                }
                pos += MessageFormat.FINAL_FRAME_OVERHEAD + (int) last;
                if (pos != length) {
                    throw new InvalidCiphertextException("the envelope message has bytes after its final frame");
                }
                return (int) (total + last);
            } else {
                throw new InvalidCiphertextException("unknown envelope frame type " + (type & 0xFF));
            }
        }
    }

    /** Decrypts every frame into one array; wipes it if any frame fails. */
    public static byte[] open(WipeableSecretKey key, long messageNumber, int frameLength, byte[] m, int sectionEnd,
                               int plaintextLength, FrameCipher cipher) {
        byte[] out = new byte[plaintextLength];
        int pos = sectionEnd + MessageFormat.TAIL_LENGTH;
        int o = 0;
        long frame = 0;
        try {
            while (m[pos] == MessageFormat.REGULAR_FRAME) {
                pos++;
                o += cipher.open(key, messageNumber, frame++, false, m, pos, frameLength + MessageFormat.TAG_LENGTH,
                        out, o);
                pos += frameLength + MessageFormat.TAG_LENGTH;
            }
            int last = (int) MessageFormat.getUint32(m, pos + 1);
            pos += 5;
            cipher.open(key, messageNumber, frame, true, m, pos, last + MessageFormat.TAG_LENGTH, out, o);
            return out;
        } catch (RuntimeException e) {
            Arrays.fill(out, (byte) 0);
            throw e;
        }
    }

}
