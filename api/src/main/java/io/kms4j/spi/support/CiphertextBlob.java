package io.kms4j.spi.support;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ciphertext blob of the local and PKCS#11 providers, version 1, specified byte by byte in
 * {@code docs/FORMATS.md}:
 *
 * <pre>
 * offset      size  field
 * 0           3     magic "K4J"
 * 3           1     format version, 0x01
 * 4           1     key id length L, 1..255
 * 5           L     key id, printable ASCII
 * 5+L         4     key version, unsigned big-endian, &gt;= 1
 * 9+L         12    IV (random, fresh per encryption)
 * 21+L        n+16  AES-256-GCM ciphertext of n plaintext bytes, then the 16-byte tag
 * </pre>
 *
 * The AAD is the header (bytes 0 to 21+L, magic through IV) followed by the canonical encoding of the
 * encryption context, so altering any header byte, the ciphertext, the tag or the context fails
 * authentication. {@link #parse} rejects short, truncated and malformed input before any decryption is tried.
 *
 * <p>Thread safety: immutable; the blob array given to {@link #parse} must not change while it is in use.
 */
public final class CiphertextBlob {
    /** The magic bytes every version-1 blob starts with. */
    static final byte[] MAGIC = {'K', '4', 'J'};
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    /** The GCM IV length: 96 bits, the only length NIST SP 800-38D recommends for random IVs. */
    public static final int IV_LENGTH = 12;
    /** The GCM tag length: 128 bits. */
    public static final int TAG_LENGTH = 16;
    /** The longest key id a blob can name. */
    public static final int MAX_KEY_ID_LENGTH = 255;

    private static final int FIXED_HEADER = MAGIC.length + 1 + 1 + 4 + IV_LENGTH; // everything but the key id

    private final byte[] blob;
    private final String keyId;
    private final int keyVersion;
    private final int headerLength;

    private CiphertextBlob(byte[] blob, String keyId, int keyVersion, int headerLength) {
        this.blob = blob;
        this.keyId = keyId;
        this.keyVersion = keyVersion;
        this.headerLength = headerLength;
    }

    /** The smallest possible blob: a one-character key id and an empty plaintext. */
    public static int minimumLength() {
        return FIXED_HEADER + 1 + TAG_LENGTH;
    }

    /**
     * Parses a blob's header without decrypting anything.
     *
     * @throws InvalidCiphertextException when the blob is too short, not this format, or malformed
     */
    public static CiphertextBlob parse(byte[] blob) {
        if (blob == null || blob.length < minimumLength()) {
            throw new InvalidCiphertextException("the ciphertext is too short to be a kms4j ciphertext");
        }
        if (blob[0] != MAGIC[0] || blob[1] != MAGIC[1] || blob[2] != MAGIC[2]) {
            throw new InvalidCiphertextException("the ciphertext is not a kms4j ciphertext (bad magic)");
        }
        if (blob[3] != VERSION) {
            throw new InvalidCiphertextException("unsupported kms4j ciphertext version " + (blob[3] & 0xFF));
        }
        int idLength = blob[4] & 0xFF;
        int headerLength = FIXED_HEADER + idLength;
        if (idLength == 0 || blob.length < headerLength + TAG_LENGTH) {
            throw new InvalidCiphertextException("the ciphertext is truncated");
        }
        for (int i = 5; i < 5 + idLength; i++) {
            if (blob[i] < 0x21 || blob[i] > 0x7E) {
                throw new InvalidCiphertextException("the ciphertext's key id is malformed");
            }
        }
        String keyId = new String(blob, 5, idLength, StandardCharsets.US_ASCII);
        int keyVersion = ByteBuffer.wrap(blob, 5 + idLength, 4).getInt();
        if (keyVersion < 1) {
            throw new InvalidCiphertextException("the ciphertext's key version is malformed");
        }
        return new CiphertextBlob(blob, keyId, keyVersion, headerLength);
    }

    /**
     * Writes a header: magic, version, key id, key version, IV.
     *
     * @throws IllegalArgumentException when the key id is empty, too long or not printable ASCII, or the IV is
     *     not 12 bytes
     */
    public static byte[] header(String keyId, int keyVersion, byte[] iv) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        if (id.length == 0 || id.length > MAX_KEY_ID_LENGTH || !keyId.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new IllegalArgumentException("key id must be 1 to 255 printable ASCII characters");
        }
        if (iv.length != IV_LENGTH || keyVersion < 1) {
            throw new IllegalArgumentException("IV must be 12 bytes and key version >= 1");
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + id.length);
        b.put(MAGIC).put((byte) VERSION).put((byte) id.length).put(id).putInt(keyVersion).put(iv);
        return b.array();
    }

    /** The AAD for a header and context: header bytes then the context's canonical encoding. */
    public static byte[] aad(byte[] header, int headerLength, EncryptionContext context) {
        ByteBuffer b = ByteBuffer.allocate(headerLength + context.canonicalLength());
        b.put(header, 0, headerLength);
        context.writeCanonicalTo(b);
        return b.array();
    }

    /** Concatenates a header and the GCM output (ciphertext then tag) into a blob. */
    public static byte[] assemble(byte[] header, byte[] ciphertextAndTag) {
        byte[] out = Arrays.copyOf(header, header.length + ciphertextAndTag.length);
        System.arraycopy(ciphertextAndTag, 0, out, header.length, ciphertextAndTag.length);
        return out;
    }

    /** The key id the blob names. */
    public String keyId() {
        return keyId;
    }

    /** The key version the blob names. */
    public int keyVersion() {
        return keyVersion;
    }

    /** A copy of the IV. */
    public byte[] iv() {
        return Arrays.copyOfRange(blob, headerLength - IV_LENGTH, headerLength);
    }

    /** The AAD this blob was made with, given the caller's context. */
    public byte[] aad(EncryptionContext context) {
        return aad(blob, headerLength, context);
    }

    /** A copy of the ciphertext followed by the tag. */
    public byte[] ciphertextAndTag() {
        return Arrays.copyOfRange(blob, headerLength, blob.length);
    }

    /** The plaintext length this blob will decrypt to. */
    public int plaintextLength() {
        return blob.length - headerLength - TAG_LENGTH;
    }

    @Override
    public String toString() {
        return "CiphertextBlob[keyId=" + keyId + ", keyVersion=" + keyVersion + ", " + blob.length + " bytes]";
    }
}
