package io.kms4j.audit;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes a record's chain hash: SHA-256, or HMAC-SHA256 when the chain is keyed. Shared by the sink and the
 * verifier so both compute exactly the same thing.
 *
 * <p>Thread safety: safe for concurrent use (a fresh digest or MAC per call).
 */
final class ChainHasher {
    private final SecretKeySpec key; // null for an unkeyed chain

    ChainHasher(byte[] keyOrNull) {
        this.key = keyOrNull == null ? null : new SecretKeySpec(keyOrNull, "HmacSHA256");
    }

    String hash(byte[] bytes, int length) {
        try {
            byte[] digest;
            if (key == null) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(bytes, 0, length);
                digest = md.digest();
            } else {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                mac.update(bytes, 0, length);
                digest = mac.doFinal();
            }
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 or HMAC-SHA256 is missing from this JDK", e);
        }
    }

    /** Compares two hex hashes in constant time. */
    static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static boolean isHex64(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ChainHasher[" + (key == null ? "SHA-256" : "HMAC-SHA256, key=<redacted>") + "]";
    }
}
