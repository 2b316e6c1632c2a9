package io.kms4j.audit;

import io.kms4j.internal.AtomicFiles;
import io.kms4j.internal.InterProcessLock;
import io.kms4j.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An append-only JSON Lines audit log whose records are hash-chained, so that an edit, a deletion, a
 * reordering or a truncation is found by {@link AuditLogVerifier}, which names the first bad record.
 *
 * <h2>Record format</h2>
 * Each line is the event's CloudTrail-shaped JSON object with three more fields at the end:
 * {@code "sequence"} (1, 2, 3, …), {@code "previousHash"} (the previous record's hash; 64 zeros for the first)
 * and {@code "hash"}: the hex SHA-256 (or, with a {@linkplain Builder#chainKey chain key}, HMAC-SHA256) of the
 * line's UTF-8 bytes up to, not including, the {@code ,"hash":} that ends it. Beside the log an anchor file
 * ({@code <log>.anchor}) holds the last sequence number and hash, replaced atomically after each append, so that
 * cutting records off the end is detected too. Details and the threat model are in {@code docs/AUDIT.md}.
 *
 * <h2>Durability</h2>
 * Each record is appended and, by default, fsynced before {@link #record} returns, so an operation whose event
 * could not be made durable is refused (fail closed). Concurrent callers are group-committed: the records queued
 * while one fsync runs are appended together with the next single write and fsync, so many threads share its
 * cost. A record torn by a crash mid-write was never acknowledged; the next writer removes it before appending.
 *
 * <p>Thread safety: safe for concurrent use by many threads, and by several processes (appends take an
 * inter-process lock on {@code <log>.lock}).
 */
public final class JsonLinesAuditSink implements AuditSink {
    static final String GENESIS_HASH = "0".repeat(64);

    private final Path log;
    private final Path anchor;
    private final InterProcessLock lock;
    private final ChainHasher hasher;
    private final boolean syncEachRecord;
    private final System.Logger logger = System.getLogger(JsonLinesAuditSink.class.getName());

    // Callers waiting for the current leader to append their events; its monitor guards leaderActive too.
    private final List<Pending> queue = new ArrayList<>();
    private boolean leaderActive;

    // Guarded by lock: what this JVM last wrote, so a quiet log need not be re-read before each append.
    private FileChannel channel;
    private long knownSize = -1;
    private long lastSequence;
    private String lastHash = GENESIS_HASH;
    private boolean closed;

    private JsonLinesAuditSink(Builder b) {
        this.log = b.log.toAbsolutePath().normalize();
        this.anchor = anchorOf(log);
        this.lock = InterProcessLock.forFile(log.resolveSibling(log.getFileName() + ".lock"));
        this.hasher = new ChainHasher(b.chainKey);
        this.syncEachRecord = b.syncEachRecord;
        if (b.chainKey != null) {
            Arrays.fill(b.chainKey, (byte) 0);
        }
    }

    /** A builder for a log at {@code logFile}; the parent directory must exist. */
    public static Builder builder(Path logFile) {
        return new Builder(logFile);
    }

    /** A log at {@code logFile} with an unkeyed SHA-256 chain, fsynced per record. */
    public static JsonLinesAuditSink open(Path logFile) {
        return builder(logFile).build();
    }

    /** The anchor file that belongs to a log. */
    public static Path anchorOf(Path logFile) {
        return logFile.resolveSibling(logFile.getFileName() + ".anchor");
    }

    /** The log file. */
    public Path path() {
        return log;
    }

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        Pending mine = new Pending(event);
        boolean leader;
        synchronized (queue) {
            queue.add(mine);
            leader = awaitTurn(mine);
        }
        if (leader) {
            lead();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /**
     * Group commit: callers queue their events; one of them (the leader) appends everything queued so far with
     * one write, one fsync and one anchor update, then wakes the others. Every caller still returns only after
     * its own record is durable, but concurrent callers share the cost of the fsync.
     *
     * <p>Returns true when the caller must lead, false when another caller already wrote its event. Call with
     * the queue's monitor held.
     */
    private boolean awaitTurn(Pending mine) {
        while (!mine.done) {
            if (!leaderActive) {
                leaderActive = true;
                return true;
            }
            try {
                queue.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (!mine.done && queue.remove(mine)) {
                    mine.fail(new AuditSinkException("interrupted while waiting to append to audit log " + log));
                }
                return false;
            }
        }
        return false;
    }

    private void lead() {
        List<Pending> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        AuditSinkException failure = null;
        try {
            lock.withLock(() -> {
                append(batch);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            knownSize = -1; // re-read the tail next time: this append may have left it in any state
            failure = e instanceof AuditSinkException ? (AuditSinkException) e
                    : new AuditSinkException("cannot append to audit log " + log + ": " + e.getMessage(), e);
        }
        synchronized (queue) {
            for (Pending p : batch) {
                if (failure != null) {
                    p.fail(failure);
                } else {
                    p.done = true;
                }
            }
            leaderActive = false;
            queue.notifyAll();
        }
    }

    /** One caller's event, waiting to be appended. Guarded by the queue's monitor. */
    private static final class Pending {
        final AuditEvent event;
        boolean done;
        AuditSinkException failure;

        Pending(AuditEvent event) {
            this.event = event;
        }

        void fail(AuditSinkException e) {
            failure = e;
            done = true;
        }
    }

    private void append(List<Pending> batch) throws IOException {
        if (closed) {
            throw new AuditSinkException("audit log " + log + " is closed");
        }
        if (channel == null) {
            AtomicFiles.createOwnerOnlyIfAbsent(log);
            channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        long size = channel.size();
        if (size != knownSize) {
            readTail(size);
        }
        long sequence = lastSequence;
        String hash = lastHash;
        StringBuilder lines = new StringBuilder(batch.size() * 1024);
        for (Pending p : batch) {
            Map<String, Object> fields = p.event.toJsonMap();
            fields.put("sequence", ++sequence);
            fields.put("previousHash", hash);
            String body = Json.write(fields);
            String prefix = body.substring(0, body.length() - 1); // drop the closing brace; the hash closes it
            byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
            hash = hasher.hash(prefixBytes, prefixBytes.length);
            lines.append(prefix).append(",\"hash\":\"").append(hash).append("\"}\n");
        }
        ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        long position = knownSize;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        if (syncEachRecord) {
            channel.force(false);
        }
        lastSequence = sequence;
        lastHash = hash;
        knownSize = position;
        writeAnchor(lastSequence, lastHash, syncEachRecord);
    }

    /** Reads the last complete record's sequence and hash; removes a torn final line a crash left behind. */
    private void readTail(long size) throws IOException {
        if (size == 0) {
            lastSequence = 0;
            lastHash = GENESIS_HASH;
            knownSize = 0;
            return;
        }
        long end = size;
        if (byteAt(size - 1) != '\n') {
            long lastNewline = findNewlineBefore(size);
            end = lastNewline + 1;
            logger.log(System.Logger.Level.WARNING, "audit log " + log + " ends in a record torn by a crash ("
                    + (size - end) + " bytes, never acknowledged); removing it before appending");
            channel.truncate(end);
            channel.force(true);
        }
        if (end == 0) {
            lastSequence = 0;
            lastHash = GENESIS_HASH;
            knownSize = 0;
            return;
        }
        long start = findNewlineBefore(end - 1) + 1;
        ByteBuffer buffer = ByteBuffer.allocate((int) (end - 1 - start));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("audit log shrank while reading");
            }
        }
        Map<String, Object> last;
        try {
            last = Json.parseObject(new String(buffer.array(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new AuditSinkException("the last record of audit log " + log
                    + " is not valid JSON; run the verifier and repair the log before appending", e);
        }
        if (!(last.get("sequence") instanceof Long) || !(last.get("hash") instanceof String)) {
            throw new AuditSinkException("the last record of audit log " + log + " has no chain fields");
        }
        lastSequence = (Long) last.get("sequence");
        lastHash = (String) last.get("hash");
        knownSize = end;
    }

    private long findNewlineBefore(long limit) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long pos = limit;
        while (pos > 0) {
            long from = Math.max(0, pos - chunk.capacity());
            chunk.clear();
            chunk.limit((int) (pos - from));
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, from + chunk.position()) < 0) {
                    break;
                }
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return from + i;
                }
            }
            pos = from;
        }
        return -1;
    }

    private byte byteAt(long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, position);
        return one.get(0);
    }

    /**
     * Replaces the anchor. Its content is synced before the rename, so the anchor is never torn; the directory
     * is not, because an anchor that lags after a crash only says fewer records were written than were, which
     * the verifier accepts. Without per-record sync the content is not synced either (the same trade as the log).
     */
    private void writeAnchor(long sequence, String hash, boolean durable) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sequence", sequence);
        fields.put("hash", hash);
        byte[] content = (Json.write(fields) + "\n").getBytes(StandardCharsets.UTF_8);
        if (durable) {
            AtomicFiles.write(anchor, content, false);
        } else {
            Path temp = anchor.resolveSibling(anchor.getFileName() + ".next");
            Files.write(temp, content);
            Files.move(temp, anchor, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads every event in a log, in order, without verifying the chain (use {@link AuditLogVerifier} for
     * that). A torn final line is skipped.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when a complete line is not an audit record
     */
    public static List<AuditEvent> readEvents(Path logFile) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        if (!Files.exists(logFile)) {
            return events;
        }
        byte[] all = Files.readAllBytes(logFile);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    events.add(AuditEvent.fromJsonMap(Json.parseObject(line)));
                }
                start = i + 1;
            }
        }
        return events;
    }

    @Override
    public void close() {
        try {
            lock.withLock(() -> {
                closed = true;
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
                return null;
            });
        } catch (IOException e) {
            logger.log(System.Logger.Level.WARNING, "closing audit log " + log + " failed", e);
        }
    }

    /**
     * Builds a {@link JsonLinesAuditSink}. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private final Path log;
        private byte[] chainKey;
        private boolean syncEachRecord = true;

        private Builder(Path log) {
            this.log = Objects.requireNonNull(log, "logFile");
        }

        /**
         * Keys the chain with HMAC-SHA256 under this secret (at least 32 bytes; copied, and the copy wiped when
         * the sink is built). Without the key nobody can forge a record that verifies, not even by rewriting
         * the whole log; the verifier then needs the same key.
         *
         * @throws IllegalArgumentException when the key is shorter than 32 bytes
         */
        public Builder chainKey(byte[] key) {
            if (key == null || key.length < 32) {
                throw new IllegalArgumentException("the chain key must be at least 32 bytes");
            }
            this.chainKey = key.clone();
            return this;
        }

        /**
         * Whether each record is fsynced before {@link #record} returns (default true). Turning it off trades
         * the last few records on power loss for speed; a crash of the process alone loses nothing either way.
         */
        public Builder syncEachRecord(boolean sync) {
            this.syncEachRecord = sync;
            return this;
        }

        /** Makes the sink; the file is created (0600) on the first record. */
        public JsonLinesAuditSink build() {
            return new JsonLinesAuditSink(this);
        }
    }
}
