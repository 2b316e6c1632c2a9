package io.kms4j.audit;

import io.kms4j.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Checks a {@link JsonLinesAuditSink} log: every record parses, sequence numbers run 1, 2, 3, … without gaps,
 * each record's {@code previousHash} is the previous record's {@code hash}, each {@code hash} matches the
 * record's bytes, and the log is not shorter than its anchor says. The first failure is reported with its
 * line number, so an edit, deletion, reordering or truncation is named, not just detected.
 *
 * <p>Thread safety: stateless; safe from any thread. Verifying a log that is being appended to sees some
 * prefix of it and may report the anchor ahead of the log; verify a quiet log, or take the log's lock.
 */
public final class AuditLogVerifier {
    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final int SUFFIX_LENGTH = HASH_FIELD.length() + 64 + 2; // ,"hash":"<64 hex>"}

    private AuditLogVerifier() {
    }

    /** The outcome of a verification. */
    public record Result(boolean valid, long recordsVerified, long firstBadRecord, String problem) {
        static Result ok(long n) {
            return new Result(true, n, 0, null);
        }

        static Result bad(long verified, long line, String problem) {
            return new Result(false, verified, line, problem);
        }

        /** One line for people, for example {@code "record 7: hash does not match its contents"}. */
        @Override
        public String toString() {
            return valid ? "audit log valid: " + recordsVerified + " records"
                    : "audit log INVALID at record " + firstBadRecord + ": " + problem;
        }
    }

    /** Verifies a log with an unkeyed (SHA-256) chain. */
    public static Result verify(Path log) throws IOException {
        return verify(log, null);
    }

    /**
     * Verifies a log.
     *
     * @param chainKey the HMAC key the log was written with, or null for an unkeyed chain
     * @throws IOException when the log cannot be read
     */
    public static Result verify(Path log, byte[] chainKey) throws IOException {
        ChainHasher hasher = new ChainHasher(chainKey);
        byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
        String previousHash = JsonLinesAuditSink.GENESIS_HASH;
        Anchor anchor = readAnchor(JsonLinesAuditSink.anchorOf(log));
        String hashAtAnchor = null;
        long count = 0;
        int start = 0;
        while (start < all.length) {
            int end = indexOf(all, (byte) '\n', start);
            long lineNo = count + 1;
            if (end < 0) {
                return Result.bad(count, lineNo, "the last record is incomplete (truncated mid-record)");
            }
            int length = end - start;
            String line = new String(all, start, length, StandardCharsets.UTF_8);
            if (length <= SUFFIX_LENGTH || !line.endsWith("\"}")
                    || !line.startsWith(HASH_FIELD, line.length() - SUFFIX_LENGTH)) {
                return Result.bad(count, lineNo, "not a chained audit record");
            }
            Map<String, Object> fields;
            try {
                fields = Json.parseObject(line);
            } catch (IllegalArgumentException e) {
                return Result.bad(count, lineNo, "not valid JSON (" + e.getMessage() + ")");
            }
            Object sequence = fields.get("sequence");
            if (!(sequence instanceof Long) || (Long) sequence != lineNo) {
                return Result.bad(count, lineNo, "sequence is " + sequence + ", expected " + lineNo
                        + " (a record was deleted, inserted or moved)");
            }
            if (!ChainHasher.same(String.valueOf(fields.get("previousHash")), previousHash)) {
                return Result.bad(count, lineNo,
                        "previousHash does not match the previous record (a record was deleted, inserted or moved)");
            }
            String hash = String.valueOf(fields.get("hash"));
            byte[] prefix = Arrays.copyOfRange(all, start, end - SUFFIX_LENGTH);
            if (!ChainHasher.isHex64(hash) || !ChainHasher.same(hasher.hash(prefix, prefix.length), hash)) {
                return Result.bad(count, lineNo, "hash does not match the record's contents (the record was edited"
                        + (chainKey == null ? ")" : ", or the chain key is wrong)"));
            }
            previousHash = hash;
            count++;
            if (anchor.sequence() == count) {
                hashAtAnchor = hash;
            }
            start = end + 1;
        }
        if (anchor.problem() != null) {
            return Result.bad(count, count, anchor.problem());
        }
        if (anchor.sequence() < 0) {
            return count == 0 ? Result.ok(0) : Result.bad(count, count, "the anchor file is missing");
        }
        if (anchor.sequence() > count) {
            return Result.bad(count, count + 1, "the log ends at record " + count + " but the anchor says "
                    + anchor.sequence() + " records were written (the log was truncated)");
        }
        if (anchor.sequence() > 0 && !ChainHasher.same(anchor.hash(), hashAtAnchor)) {
            return Result.bad(count, anchor.sequence(), "record " + anchor.sequence()
                    + " differs from the one the anchor sealed (the log was rewritten)");
        }
        // Records past the anchor come from a crash between an append and the anchor update; they are chained.
        return Result.ok(count);
    }

    private record Anchor(long sequence, String hash, String problem) {
    }

    private static Anchor readAnchor(Path anchor) throws IOException {
        if (!Files.exists(anchor)) {
            return new Anchor(-1, null, null);
        }
        try {
            Map<String, Object> fields = Json.parseObject(Files.readString(anchor, StandardCharsets.UTF_8));
            Object sequence = fields.get("sequence");
            Object hash = fields.get("hash");
            if (!(sequence instanceof Long) || !(hash instanceof String)) {
                return new Anchor(-1, null, "the anchor file has no sequence or hash");
            }
            return new Anchor((Long) sequence, (String) hash, null);
        } catch (IllegalArgumentException e) {
            return new Anchor(-1, null, "the anchor file is not valid JSON");
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
