package io.kms4j.envelope.internal;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.ValidationException;
import io.kms4j.envelope.EnvelopeAlgorithm;
import io.kms4j.envelope.WrappedKeyInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope message format, version 1, specified byte by byte in {@code docs/FORMATS.md} ("Envelope message
 * format"). All integers are unsigned big-endian.
 *
 * <pre>
 * header
 *   3   magic "K4E"
 *   1   format version, 0x01
 *   1   algorithm suite, 0x01 (AES-256-GCM, HKDF-SHA-256 key derivation, key commitment)
 *   4   frame length F, 1..2^24
 *   2   encryption context length N
 *   N   encryption context, canonical encoding (io.kms4j.EncryptionContext)
 *   1   wrapped data key count W, 1..255
 *   W x [1 scheme length s, s scheme (ASCII), 2 key id length k, k key id (UTF-8), 2 blob length b, b blob]
 *   32  key commitment                                   -- end of the "data key section"
 *   4   message number                                   -- the header tail
 * frames
 *   regular: 1 type 0x00, F ciphertext, 16 tag
 *   final:   1 type 0x01, 4 plaintext length L (0..F), L ciphertext, 16 tag
 * </pre>
 *
 * The data key section (magic through commitment) is the same for every message encrypted under one data key,
 * which is why it is also what the decrypt-side cache is keyed by. It is authenticated through the key
 * derivation (its hash is the HKDF salt) and the commitment; the message number, frame index and frame type are
 * authenticated as the frame IV. No frame has associated data.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class MessageFormat {
    /** The magic bytes every envelope message starts with. */
    public static final byte[] MAGIC = {'K', '4', 'E'};
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** Offset of the frame length. */
    public static final int FRAME_LENGTH_OFFSET = 5;
    /** Offset of the encryption context length. */
    public static final int CONTEXT_LENGTH_OFFSET = 9;
    /** Offset of the encryption context. */
    public static final int CONTEXT_OFFSET = 11;
    /** The length of the key commitment. */
    public static final int COMMITMENT_LENGTH = 32;
    /** The header tail: the message number. */
    public static final int TAIL_LENGTH = 4;
    /** The GCM tag length. */
    public static final int TAG_LENGTH = 16;
    /** The GCM IV length. */
    public static final int IV_LENGTH = 12;
    /** The most wrapped data keys a header can hold. */
    public static final int MAX_WRAPPED_KEYS = 255;
    /** The longest provider scheme. */
    public static final int MAX_SCHEME_LENGTH = 64;
    /** The longest key id, as in AWS KMS. */
    public static final int MAX_KEY_ID_LENGTH = 2048;
    /** The longest wrapped data key (the largest ciphertext blob AWS KMS accepts). */
    public static final int MAX_WRAPPED_KEY_LENGTH = 6144;
    /** The longest frame, 16 MiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 24;
    /** The largest message number; a data key encrypts at most 2^32 messages. */
    public static final long MAX_MESSAGE_NUMBER = 0xFFFF_FFFFL;
    /** The most frames a message can have (frame indexes are 32-bit). */
    public static final long MAX_FRAMES = 1L << 32;
    /** Frame type byte of a regular (full, not last) frame. */
    public static final byte REGULAR_FRAME = 0x00;
    /** Frame type byte of the final frame. */
    public static final byte FINAL_FRAME = 0x01;
    /** Bytes a regular frame adds to its plaintext. */
    public static final int REGULAR_FRAME_OVERHEAD = 1 + TAG_LENGTH;
    /** Bytes the final frame adds to its plaintext. */
    public static final int FINAL_FRAME_OVERHEAD = 1 + 4 + TAG_LENGTH;

    private MessageFormat() {
    }

    /** One wrapped data key as written in the header. */
    public record WrappedKey(String scheme, String keyId, byte[] blob) {
        /** The non-secret description callers see. */
        public WrappedKeyInfo info() {
            return new WrappedKeyInfo(scheme, keyId);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * The header from the magic through the last wrapped key: what the key commitment and the derived key are
     * bound to (its SHA-256 is the HKDF salt).
     *
     * @throws ValidationException when a field does not fit the format
     */
    public static byte[] headerBeforeCommitment(int algorithmId, int frameLength, EncryptionContext context,
                                                List<WrappedKey> keys) {
        if (frameLength < 1 || frameLength > MAX_FRAME_LENGTH) {
            throw new ValidationException("frame length must be 1 to " + MAX_FRAME_LENGTH + ", was " + frameLength);
        }
        if (keys.isEmpty() || keys.size() > MAX_WRAPPED_KEYS) {
            throw new ValidationException("a message holds 1 to " + MAX_WRAPPED_KEYS + " wrapped data keys, not "
                    + keys.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(algorithmId);
        byte[] frame = new byte[4];
        putInt(frame, 0, frameLength);
        out.writeBytes(frame);
        byte[] canonical = context.canonicalBytes();
        writeUint16(out, canonical.length);
        out.writeBytes(canonical);
        out.write(keys.size());
        for (WrappedKey key : keys) {
            byte[] scheme = key.scheme().getBytes(StandardCharsets.US_ASCII);
            byte[] keyId = key.keyId().getBytes(StandardCharsets.UTF_8);
            if (scheme.length < 1 || scheme.length > MAX_SCHEME_LENGTH || !isPrintableAscii(scheme, 0, scheme.length)) {
                throw new ValidationException("provider scheme '" + key.scheme() + "' does not fit the envelope format");
            }
            if (keyId.length < 1 || keyId.length > MAX_KEY_ID_LENGTH) {
                throw new ValidationException("key id is " + keyId.length + " bytes; the envelope format takes 1 to "
                        + MAX_KEY_ID_LENGTH);
            }
            if (key.blob().length < 1 || key.blob().length > MAX_WRAPPED_KEY_LENGTH) {
                throw new ValidationException("wrapped data key is " + key.blob().length
                        + " bytes; the envelope format takes 1 to " + MAX_WRAPPED_KEY_LENGTH);
            }
            out.write(scheme.length);
            out.writeBytes(scheme);
            writeUint16(out, keyId.length);
            out.writeBytes(keyId);
            writeUint16(out, key.blob().length);
            out.writeBytes(key.blob());
        }
        return out.toByteArray();
    }

    /** The number of regular (full) frames of a message of {@code plaintextLength} bytes. */
    public static long regularFrames(long plaintextLength, int frameLength) {
        // The last frame always holds 1..F bytes (0 only for an empty message), so a length that is a multiple
        // of F ends with a full final frame rather than an empty one.
        return plaintextLength == 0 ? 0 : (plaintextLength - 1) / frameLength;
    }

    /** The number of body (frame) bytes of a message of {@code plaintextLength} bytes. */
    public static long bodyLength(long plaintextLength, int frameLength) {
        long regular = regularFrames(plaintextLength, frameLength);
        long last = plaintextLength - regular * frameLength;
        return regular * (frameLength + REGULAR_FRAME_OVERHEAD) + last + FINAL_FRAME_OVERHEAD;
    }

    /** Fills a frame's 12-byte IV: message number, frame index, frame type, each as a 32-bit integer. */
    public static void frameIv(byte[] iv, long messageNumber, long frameIndex, boolean finalFrame) {
        putInt(iv, 0, (int) messageNumber);
        putInt(iv, 4, (int) frameIndex);
        putInt(iv, 8, finalFrame ? 1 : 0);
    }

    /** Writes a 32-bit big-endian integer. */
    public static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    /** Reads a 32-bit big-endian unsigned integer. */
    public static long getUint32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Finds the end of the data key section (just past the commitment) by reading only lengths: the fast path of
     * decryption, which allocates nothing. Field contents are checked by {@link #parse} on a cache miss; a cache
     * hit means the section is byte-for-byte one that was fully checked before.
     *
     * @param length how many bytes of {@code m} are the message (or as much of it as has been read)
     * @throws InvalidCiphertextException when the bytes are not a version-1 envelope header or are truncated
     */
    public static int dataKeySectionEnd(byte[] m, int length, int maxWrappedKeys) {
        if (length < CONTEXT_OFFSET) {
            throw truncated();
        }
        checkPrefix(m);
        int p = CONTEXT_OFFSET + uint16(m, CONTEXT_LENGTH_OFFSET);
        if (length < p + 1) {
            throw truncated();
        }
        int count = m[p++] & 0xFF;
        if (count == 0) {
            throw new InvalidCiphertextException("the envelope header names no wrapped data key");
        }
        if (count > maxWrappedKeys) {
            throw new InvalidCiphertextException("the envelope header holds " + count + " wrapped data keys; this "
                    + "decryptor accepts at most " + maxWrappedKeys);
        }
        for (int i = 0; i < count; i++) {
            if (length < p + 1) {
                throw truncated();
            }
            p += 1 + (m[p] & 0xFF);
            if (length < p + 2) {
                throw truncated();
            }
            p += 2 + uint16(m, p);
            if (length < p + 2) {
                throw truncated();
            }
            p += 2 + uint16(m, p);
        }
        p += COMMITMENT_LENGTH;
        if (length < p) {
            throw truncated();
        }
        return p;
    }

    /** Everything a header says, fully checked. */
    public record Header(int algorithmId, int frameLength, EncryptionContext context, List<WrappedKey> wrappedKeys,
                         int commitmentOffset, long messageNumber) {
        /** The end of the data key section: just past the commitment. */
        public int dataKeySectionEnd() {
            return commitmentOffset + COMMITMENT_LENGTH;
        }

        /** The header's length; the frames start here. */
        public int length() {
            return dataKeySectionEnd() + TAIL_LENGTH;
        }

        /** The wrapped keys as callers see them. */
        public List<WrappedKeyInfo> wrappedKeyInfos() {
            List<WrappedKeyInfo> infos = new ArrayList<>(wrappedKeys.size());
            for (WrappedKey k : wrappedKeys) {
                infos.add(k.info());
            }
            return List.copyOf(infos);
        }
    }

    /**
     * Parses and checks a whole header.
     *
     * @param length how many bytes of {@code m} are available (at least the header)
     * @throws InvalidCiphertextException when the header is malformed, truncated or out of range
     */
    public static Header parse(byte[] m, int length, int maxWrappedKeys) {
        int end = dataKeySectionEnd(m, length, maxWrappedKeys);
        if (length < end + TAIL_LENGTH) {
            throw truncated();
        }
        int contextLength = uint16(m, CONTEXT_LENGTH_OFFSET);
        EncryptionContext context;
        try {
            byte[] canonical = new byte[contextLength];
            System.arraycopy(m, CONTEXT_OFFSET, canonical, 0, contextLength);
            context = EncryptionContext.fromCanonicalBytes(canonical);
        } catch (ValidationException e) {
            throw new InvalidCiphertextException("the envelope header's encryption context is malformed", e);
        }
        int p = CONTEXT_OFFSET + contextLength;
        int count = m[p++] & 0xFF;
        List<WrappedKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int schemeLength = m[p++] & 0xFF;
            if (schemeLength == 0 || schemeLength > MAX_SCHEME_LENGTH || !isPrintableAscii(m, p, schemeLength)) {
                throw new InvalidCiphertextException("the envelope header has a malformed provider scheme");
            }
            String scheme = new String(m, p, schemeLength, StandardCharsets.US_ASCII);
            p += schemeLength;
            int keyIdLength = uint16(m, p);
            p += 2;
            if (keyIdLength == 0 || keyIdLength > MAX_KEY_ID_LENGTH) {
                throw new InvalidCiphertextException("the envelope header has a malformed key id");
            }
            String keyId = strictUtf8(m, p, keyIdLength);
            p += keyIdLength;
            int blobLength = uint16(m, p);
            p += 2;
            if (blobLength == 0 || blobLength > MAX_WRAPPED_KEY_LENGTH) {
                throw new InvalidCiphertextException("the envelope header has a malformed wrapped data key");
            }
            byte[] blob = new byte[blobLength];
            System.arraycopy(m, p, blob, 0, blobLength);
            p += blobLength;
            keys.add(new WrappedKey(scheme, keyId, blob));
        }
        long frameLength = getUint32(m, FRAME_LENGTH_OFFSET);
        if (frameLength < 1 || frameLength > MAX_FRAME_LENGTH) {
            throw new InvalidCiphertextException("the envelope header's frame length " + frameLength
                    + " is outside 1 to " + MAX_FRAME_LENGTH);
        }
        return new Header(m[4] & 0xFF, (int) frameLength, context, List.copyOf(keys), p, getUint32(m, end));
    }

    /** Checks magic, version and algorithm: the first five bytes. */
    public static void checkPrefix(byte[] m) {
        if (m[0] != MAGIC[0] || m[1] != MAGIC[1] || m[2] != MAGIC[2]) {
            throw new InvalidCiphertextException("not a kms4j envelope message (bad magic)");
        }
        if (m[3] != VERSION) {
            throw new InvalidCiphertextException("unsupported kms4j envelope format version " + (m[3] & 0xFF));
        }
        if (m[4] != EnvelopeAlgorithm.AES_256_GCM_HKDF_SHA256_COMMIT.id()) {
            throw new InvalidCiphertextException("unsupported kms4j envelope algorithm suite " + (m[4] & 0xFF));
        }
    }

    /** Reads a 16-bit big-endian unsigned integer. */
    public static int uint16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    /** The exception for a message that ends too early. */
    public static InvalidCiphertextException truncated() {
        return new InvalidCiphertextException("the envelope message is truncated");
    }

    private static boolean isPrintableAscii(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b[i] < 0x21 || b[i] > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static String strictUtf8(byte[] b, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidCiphertextException("the envelope header has a key id that is not UTF-8", e);
        }
    }

    private static void writeUint16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
