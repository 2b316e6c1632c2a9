package io.kms4j.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {
    @TempDir
    Path dir;

    private Path writeLog(int records) {
        Path log = dir.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(log)) {
            for (int i = 1; i <= records; i++) {
                sink.record(AuditEvents.encrypt(i));
            }
        }
        return log;
    }

    private static List<String> lines(Path log) throws IOException {
        return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private static void rewrite(Path log, List<String> lines) throws IOException {
        Files.write(log, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void record_appendsChainedRecords_verifiesAndReadsBack() throws IOException {
        Path log = writeLog(5);
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertTrue(result.valid(), result.toString());
        assertEquals(5, result.recordsVerified());
        List<AuditEvent> events = JsonLinesAuditSink.readEvents(log);
        assertEquals(5, events.size());
        assertEquals(AuditEvents.encrypt(3).requestParameters(), events.get(2).requestParameters());
        assertEquals("alice", events.get(0).userIdentity().principalId());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        assertTrue(lines(log).get(0).contains("\"previousHash\":\"" + "0".repeat(64) + "\""));
    }

    @Test
    void verify_editedRecord_namesIt() throws IOException {
        Path log = writeLog(5);
        List<String> lines = lines(log);
        lines.set(2, lines.get(2).replace("alias/orders", "alias/0rders"));
        rewrite(log, lines);
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid());
        assertEquals(3, result.firstBadRecord());
        assertTrue(result.problem().contains("edited"), result.problem());
    }

    @Test
    void verify_deletedRecord_namesThePlace() throws IOException {
        Path log = writeLog(5);
        List<String> lines = lines(log);
        lines.remove(1);
        rewrite(log, lines);
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid());
        assertEquals(2, result.firstBadRecord());
    }

    @Test
    void verify_reorderedRecords_namesThePlace() throws IOException {
        Path log = writeLog(5);
        List<String> lines = lines(log);
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        rewrite(log, lines);
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid());
        assertEquals(3, result.firstBadRecord());
    }

    @Test
    void verify_wholeRecordsCutOffTheEnd_truncationDetectedByAnchor() throws IOException {
        Path log = writeLog(5);
        List<String> lines = lines(log);
        rewrite(log, lines.subList(0, 3));
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid());
        assertEquals(4, result.firstBadRecord());
        assertTrue(result.problem().contains("truncated"), result.problem());
    }

    @Test
    void verify_recordCutMidway_namesIt() throws IOException {
        Path log = writeLog(5);
        byte[] all = Files.readAllBytes(log);
        Files.write(log, Arrays.copyOf(all, all.length - 30));
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid());
        assertEquals(5, result.firstBadRecord());
    }

    @Test
    void verify_rewrittenButAnchorKept_detected() throws IOException {
        Path log = writeLog(5);
        Path shorter = dir.resolve("other.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(shorter)) {
            for (int i = 1; i <= 5; i++) {
                sink.record(AuditEvents.encrypt(100 + i));
            }
        }
        Files.copy(shorter, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertFalse(result.valid(), "a whole new chain does not match the old anchor");
    }

    @Test
    void record_afterCrashTornTail_removesItAndStaysValid() throws IOException {
        Path log = writeLog(3);
        Files.write(log, "{\"eventVersion\":\"1.08\",\"userIdent".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        assertFalse(AuditLogVerifier.verify(log).valid(), "a torn tail is visible before recovery");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(log)) {
            sink.record(AuditEvents.encrypt(4));
        }
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertTrue(result.valid(), result.toString());
        assertEquals(4, result.recordsVerified());
    }

    @Test
    void keyedChain_verifiesOnlyWithTheKey_andResistsRecomputation() throws IOException {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Path log = dir.resolve("keyed.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(log).chainKey(key).build()) {
            for (int i = 1; i <= 3; i++) {
                sink.record(AuditEvents.encrypt(i));
            }
        }
        assertTrue(AuditLogVerifier.verify(log, key).valid());
        assertEquals(1, AuditLogVerifier.verify(log).firstBadRecord(), "an unkeyed check cannot forge it");
        byte[] wrong = key.clone();
        wrong[0] = 8;
        assertFalse(AuditLogVerifier.verify(log, wrong).valid());
        assertThrows(IllegalArgumentException.class, () -> JsonLinesAuditSink.builder(log).chainKey(new byte[16]));
    }

    @Test
    void record_manyThreads_oneContiguousChain() throws Exception {
        Path log = dir.resolve("threads.jsonl");
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(log).syncEachRecord(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        sink.record(AuditEvents.encrypt(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertTrue(result.valid(), result.toString());
        assertEquals(2000, result.recordsVerified());
    }

    @Test
    void record_twoProcessesAppending_oneContiguousChain() throws Exception {
        Path log = dir.resolve("processes.jsonl");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AuditAppendMain.class.getName(), log.toString(), "300")
                .inheritIO().start();
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(log)) {
            for (int i = 0; i < 300; i++) {
                sink.record(AuditEvents.encrypt(i));
            }
        }
        assertTrue(child.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, child.exitValue());
        AuditLogVerifier.Result result = AuditLogVerifier.verify(log);
        assertTrue(result.valid(), result.toString());
        assertEquals(600, result.recordsVerified());
    }

    @Test
    void record_unwritableLocation_throwsSoKmsCanFailClosed() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        JsonLinesAuditSink sink = JsonLinesAuditSink.open(notADirectory.resolve("audit.jsonl"));
        assertThrows(AuditSinkException.class, () -> sink.record(AuditEvents.encrypt(1)));
    }
}
