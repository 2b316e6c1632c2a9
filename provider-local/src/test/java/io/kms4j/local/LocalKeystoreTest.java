package io.kms4j.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.AccessDeniedException;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DecryptResult;
import io.kms4j.KeyListEntry;
import io.kms4j.Kms;
import io.kms4j.KmsInternalException;
import io.kms4j.ValidationException;
import io.kms4j.audit.InMemoryAuditSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keystore file: persistence, passphrase, corruption, crash safety, and sharing between processes. */
class LocalKeystoreTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;

    private Path keystore() {
        return dir.resolve("keystore.k4j");
    }

    private LocalKmsProvider open(String passphrase) {
        return LocalKmsProvider.builder().keystore(keystore()).passphrase(passphrase.toCharArray())
                .kdfParameters(KdfParameters.FOR_TESTS).build();
    }

    private Kms kms(LocalKmsProvider provider) {
        return Kms.builder().provider(provider).auditSink(new InMemoryAuditSink()).build();
    }

    @Test
    void keystore_reopened_keysAndCiphertextsSurvive() {
        String keyId;
        byte[] blob;
        try (Kms kms = kms(open(PASSPHRASE))) {
            keyId = kms.createKey(CreateKeyRequest.withDescription("persisted")).keyId();
            kms.createAlias("alias/persisted", keyId);
            kms.rotateKeyOnDemand(keyId);
            blob = kms.encrypt("alias/persisted", "survives restarts".getBytes(StandardCharsets.UTF_8),
                    Map.of("k", "v")).ciphertextBlob();
            kms.disableKey(keyId);
        }
        try (Kms kms = kms(open(PASSPHRASE))) {
            assertEquals("persisted", kms.describeKey("alias/persisted").description());
            assertEquals(1, kms.listKeyRotations(keyId).size());
            kms.enableKey(keyId);
            try (DecryptResult r = kms.decrypt(blob, Map.of("k", "v"))) {
                assertEquals("survives restarts", new String(r.plaintext(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void keystore_file_ownerOnlyAndNoKeyMaterialInClear() throws IOException {
        try (Kms kms = kms(open(PASSPHRASE))) {
            kms.createKey(CreateKeyRequest.withDescription("DESCRIPTION-MARKER"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore())));
        String raw = new String(Files.readAllBytes(keystore()), StandardCharsets.ISO_8859_1);
        assertTrue(raw.startsWith("KMS4JKS"));
        assertFalse(raw.contains("DESCRIPTION-MARKER"), "the whole keyring is encrypted, metadata too");
    }

    @Test
    void open_wrongPassphrase_accessDenied() {
        open(PASSPHRASE).close();
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> open("wrong passphrase"));
        assertTrue(e.getMessage().contains("wrong passphrase"));
        assertFalse(e.getMessage().contains("wrong passphrase wrong"), "the passphrase itself is never quoted");
    }

    @Test
    void open_emptyPassphrase_validation() {
        assertThrows(ValidationException.class, () -> open(""));
    }

    @Test
    void open_corruptOrForeignFile_typedError() throws IOException {
        try (Kms kms = kms(open(PASSPHRASE))) {
            kms.createKey();
        }
        byte[] file = Files.readAllBytes(keystore());
        file[file.length - 5] ^= 1;
        Files.write(keystore(), file);
        KmsInternalException corrupt = assertThrows(KmsInternalException.class, () -> open(PASSPHRASE));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());

        Files.writeString(keystore(), "not a keystore at all");
        assertThrows(KmsInternalException.class, () -> open(PASSPHRASE));
        Files.write(keystore(), new byte[0]);
        assertThrows(KmsInternalException.class, () -> open(PASSPHRASE));
    }

    /**
     * Kills a writing process at random moments, many times; every time, the keystore opens, holds every key
     * the writer reported as created, and no temporary file survives the next open.
     */
    @Test
    void keystore_writerKilledAtRandomMoments_neverTorn() throws Exception {
        Random random = new Random(7);
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < 12; round++) {
            Path acknowledgements = dir.resolve("acknowledged-" + round + ".txt");
            Process writer = startWriter(1000, acknowledgements);
            // Wait until it is writing (a loaded machine may take seconds to start a JVM), then kill it without
            // warning at a random moment mid-stream.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (Files.size(acknowledgements) == 0 && writer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(300));
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            Files.readAllLines(acknowledgements).stream().map(String::trim).filter(l -> !l.isEmpty())
                    .forEach(acknowledged::add);
            try (Kms kms = kms(open(PASSPHRASE))) {
                Set<String> present = kms.listAllKeys().stream().map(KeyListEntry::keyId).collect(Collectors.toSet());
                assertTrue(present.containsAll(acknowledged), "round " + round + ": an acknowledged key was lost");
            }
            try (var leftovers = Files.list(dir)) {
                List<Path> temps = leftovers.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
                assertTrue(temps.isEmpty(), "stale temporary files were removed: " + temps);
            }
        }
        assertTrue(acknowledged.size() >= 12, "the writer made progress in every round: " + acknowledged.size());
    }

    @Test
    void keystore_twoProcessesCreatingKeys_bothSeeAll() throws Exception {
        open(PASSPHRASE).close();
        Path theirIds = dir.resolve("theirs.txt");
        Process other = startWriter(40, theirIds);
        List<String> mine = new ArrayList<>();
        try (Kms kms = kms(open(PASSPHRASE))) {
            for (int i = 0; i < 40; i++) {
                mine.add(kms.createKey().keyId());
            }
            assertTrue(other.waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, other.exitValue());
            List<String> theirs = Files.readAllLines(theirIds).stream().map(String::trim).toList();
            assertEquals(40, theirs.size());
            Set<String> present = kms.listAllKeys().stream().map(KeyListEntry::keyId).collect(Collectors.toSet());
            assertTrue(present.containsAll(mine));
            assertTrue(present.containsAll(theirs), "this process sees the other's keys without reopening");
            byte[] blob = kms.encrypt(theirs.get(0), new byte[] {1, 2, 3}).ciphertextBlob();
            try (DecryptResult r = kms.decrypt(blob)) {
                assertArrayEquals(new byte[] {1, 2, 3}, r.plaintext());
            }
        }
    }

    /** Starts a writer process whose acknowledged key ids go to a file, which survives killing the process. */
    private Process startWriter(int keys, Path acknowledgements) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), KeystoreWriterMain.class.getName(),
                keystore().toString(), Integer.toString(keys), PASSPHRASE)
                .redirectOutput(acknowledgements.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
