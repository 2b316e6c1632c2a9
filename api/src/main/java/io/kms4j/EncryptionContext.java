package io.kms4j;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A set of non-secret string pairs bound to a ciphertext as additional authenticated data, as in AWS KMS.
 * Decryption succeeds only with exactly the same pairs; the order in which they were given does not matter.
 *
 * <p>The context is logged in audit events (as CloudTrail logs it), so it must never hold secrets.
 *
 * <p>Canonical form: entries sorted by the UTF-8 bytes of their keys (unsigned, lexicographic), encoded as a
 * big-endian {@code uint16} count, then per entry {@code uint16} key length, key bytes, {@code uint16} value
 * length, value bytes. That encoding is the AAD; it is specified in {@code docs/FORMATS.md}.
 *
 * <p>Thread safety: immutable.
 */
public final class EncryptionContext {
    /** The largest canonical encoding accepted, in bytes. */
    public static final int MAX_ENCODED_BYTES = 8192;

    private static final EncryptionContext EMPTY = new EncryptionContext(Collections.emptyMap(), new byte[] {0, 0});

    private final Map<String, String> entries; // sorted canonically, unmodifiable
    private final byte[] canonical;

    private EncryptionContext(Map<String, String> entries, byte[] canonical) {
        this.entries = entries;
        this.canonical = canonical;
    }

    /** The empty context. */
    public static EncryptionContext empty() {
        return EMPTY;
    }

    /**
     * Builds a context from a map. A null or empty map gives the empty context.
     *
     * @throws ValidationException when a key is null or empty, a value is null, a string is not valid Unicode
     *     (a lone surrogate would make two different contexts encode alike), or the encoding exceeds
     *     {@link #MAX_ENCODED_BYTES}
     */
    public static EncryptionContext of(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        if (map.size() > 0xFFFF) {
            throw new ValidationException("encryption context has too many entries");
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[][] keys = new byte[map.size()][];
        byte[][] values = new byte[map.size()][];
        String[][] strings = new String[map.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isEmpty()) {
                throw new ValidationException("encryption context keys must be non-empty strings");
            }
            if (v == null) {
                throw new ValidationException("encryption context value for key '" + k + "' is null");
            }
            keys[i] = encode(encoder, k);
            values[i] = encode(encoder, v);
            strings[i] = new String[] {k, v};
            i++;
        }
        Integer[] order = new Integer[keys.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparing(j -> keys[j], Arrays::compareUnsigned));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeUint16(out, keys.length);
        Map<String, String> sorted = new LinkedHashMap<>();
        for (int j : order) {
            if (keys[j].length > 0xFFFF || values[j].length > 0xFFFF) {
                throw new ValidationException("encryption context entry is too long");
            }
            writeUint16(out, keys[j].length);
            out.writeBytes(keys[j]);
            writeUint16(out, values[j].length);
            out.writeBytes(values[j]);
            sorted.put(strings[j][0], strings[j][1]);
            if (out.size() > MAX_ENCODED_BYTES) {
                throw new ValidationException("encryption context is larger than " + MAX_ENCODED_BYTES + " bytes");
            }
        }
        return new EncryptionContext(Collections.unmodifiableMap(sorted), out.toByteArray());
    }

    /**
     * Parses a canonical encoding, as read from a ciphertext or message header.
     *
     * @throws ValidationException when the bytes are not exactly one canonical encoding
     */
    public static EncryptionContext fromCanonicalBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int count = Short.toUnsignedInt(in.getShort());
            Map<String, String> map = new LinkedHashMap<>();
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            for (int i = 0; i < count; i++) {
                String k = decoder.decode(slice(in, Short.toUnsignedInt(in.getShort()))).toString();
                String v = decoder.decode(slice(in, Short.toUnsignedInt(in.getShort()))).toString();
                if (map.put(k, v) != null) {
                    throw new ValidationException("encryption context repeats a key");
                }
            }
            if (in.hasRemaining()) {
                throw new ValidationException("encryption context has trailing bytes");
            }
            EncryptionContext parsed = of(map);
            if (!Arrays.equals(parsed.canonical, bytes)) {
                throw new ValidationException("encryption context is not in canonical order");
            }
            return parsed;
        } catch (java.nio.BufferUnderflowException | CharacterCodingException | IllegalArgumentException e) {
            throw new ValidationException("malformed encryption context encoding", e);
        }
    }

    /** The pairs, sorted canonically; unmodifiable. */
    public Map<String, String> asMap() {
        return entries;
    }

    /** Whether there are no pairs. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** A copy of the canonical encoding: the bytes that are authenticated. */
    public byte[] canonicalBytes() {
        return canonical.clone();
    }

    /** The length of the canonical encoding in bytes. */
    public int canonicalLength() {
        return canonical.length;
    }

    /** Writes the canonical encoding into a buffer without copying it first. */
    public void writeCanonicalTo(ByteBuffer buffer) {
        buffer.put(canonical);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionContext && Arrays.equals(canonical, ((EncryptionContext) o).canonical);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonical);
    }

    /** The pairs; they are not secret by contract, so they are shown. */
    @Override
    public String toString() {
        return "EncryptionContext" + entries;
    }

    private static byte[] encode(CharsetEncoder encoder, String s) {
        if (!hasSurrogate(s)) {
            // Only surrogates can make a string invalid Unicode; without them the JDK's intrinsic encoder gives
            // the same bytes several times faster, and every Encrypt, Decrypt and GenerateDataKey pays this.
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteBuffer b = encoder.encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new ValidationException("encryption context strings must be valid Unicode", e);
        }
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer slice(ByteBuffer in, int length) {
        ByteBuffer s = in.slice();
        s.limit(length);
        in.position(in.position() + length);
        return s;
    }

    private static void writeUint16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
