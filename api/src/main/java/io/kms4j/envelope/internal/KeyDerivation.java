package io.kms4j.envelope.internal;

import io.kms4j.KmsInternalException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * HKDF-SHA-256 (RFC 5869) and the envelope's use of it: from a data key and the header it is sealed under, the
 * content-encryption key and the key commitment.
 *
 * <pre>
 * salt       = SHA-256(header from the magic through the last wrapped key)
 * PRK        = HKDF-Extract(salt, data key)
 * content    = HKDF-Expand(PRK, "kms4j envelope v1 content key", 32)
 * commitment = HKDF-Expand(PRK, "kms4j envelope v1 key commitment", 32)
 * </pre>
 *
 * Binding the header hash into both means a changed context, wrapped key or suite gives a different content key
 * and commitment, and the commitment (a collision-resistant function of the data key) pins the one data key, and
 * so the one plaintext, a message can decrypt to. This runs once per data key, not per message: the cache keeps
 * the derived key.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class KeyDerivation {
    /** The HKDF info for the content-encryption key. */
    static final byte[] CONTENT_KEY_LABEL = "kms4j envelope v1 content key".getBytes(StandardCharsets.US_ASCII);
    /** The HKDF info for the key commitment. */
    static final byte[] COMMITMENT_LABEL = "kms4j envelope v1 key commitment".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private KeyDerivation() {
    }

    /** The derived content key and commitment; the caller wipes {@code contentKey}. */
    public record Derived(byte[] contentKey, byte[] commitment) {
    }

    /**
     * Derives the content key and commitment.
     *
     * @param dataKey the plaintext data key; not modified
     * @param header the header bytes from the magic through the last wrapped key
     * @param headerLength how many bytes of {@code header} that is
     */
    public static Derived derive(byte[] dataKey, byte[] header, int headerLength) {
        byte[] salt = sha256(header, headerLength);
        byte[] prk = extract(salt, dataKey);
        try {
            return new Derived(expand(prk, CONTENT_KEY_LABEL, 32), expand(prk, COMMITMENT_LABEL, 32));
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** HKDF-Extract: HMAC-SHA-256 keyed with the salt over the input key material. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return hmac(key, inputKeyMaterial);
    }

    /** HKDF-Expand to {@code length} bytes (at most 255 × 32). */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-Expand length out of range: " + length);
        }
        byte[] out = new byte[length];
        byte[] previous = new byte[0];
        try {
            Mac mac = Mac.getInstance(HMAC);
            WipeableSecretKey key = new WipeableSecretKey(prk, HMAC);
            try {
                mac.init(key);
                int done = 0;
                for (int i = 1; done < length; i++) {
                    mac.update(previous);
                    mac.update(info);
                    mac.update((byte) i);
                    byte[] block = mac.doFinal();
                    Arrays.fill(previous, (byte) 0);
                    previous = block;
                    int n = Math.min(block.length, length - done);
                    System.arraycopy(block, 0, out, done, n);
                    done += n;
                }
            } finally {
                key.destroy();
                Arrays.fill(previous, (byte) 0);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("HMAC-SHA-256 is unavailable in this JDK", e);
        }
    }

    /** SHA-256 of the first {@code length} bytes. */
    public static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("SHA-256 is unavailable in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] keyBytes, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            WipeableSecretKey key = new WipeableSecretKey(keyBytes, HMAC);
            try {
                mac.init(key);
                return mac.doFinal(data);
            } finally {
                key.destroy();
            }
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("HMAC-SHA-256 is unavailable in this JDK", e);
        }
    }
}
