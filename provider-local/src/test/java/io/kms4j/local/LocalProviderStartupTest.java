package io.kms4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.ValidationException;
import io.kms4j.audit.InMemoryAuditSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the local provider starts: discovery by URI, its dev-only notice, and the production-profile guard. */
class LocalProviderStartupTest {
    @TempDir
    Path dir;

    @Test
    void open_byUriThroughServiceLoader_inMemoryAndKeystore() throws Exception {
        try (Kms kms = Kms.builder().providerUri("local:memory").auditSink(new InMemoryAuditSink()).build()) {
            assertEquals("local", kms.providerInfo().scheme());
            assertTrue(kms.providerInfo().devOnly());
            kms.createKey();
        }
        Path passphraseFile = Files.writeString(dir.resolve("pass"), "file passphrase\n");
        Path keystore = dir.resolve("ks.k4j");
        try (Kms kms = Kms.builder().providerUri("local:" + keystore).option("passphrase-file", passphraseFile.toString())
                .option("kdf-memory-kib", "1024").option("kdf-iterations", "1")
                .auditSink(new InMemoryAuditSink()).build()) {
            kms.createKey();
        }
        assertTrue(Files.exists(keystore));
        try (Kms kms = Kms.builder().providerUri("local:" + keystore + "?kdf-memory-kib=1024&kdf-iterations=1")
                .option("passphrase-file", passphraseFile.toString()).auditSink(new InMemoryAuditSink()).build()) {
            assertEquals(1, kms.listAllKeys().size(), "options in the URI query reach the provider");
        }
        assertThrows(ValidationException.class, () -> Kms.builder().providerUri("local:" + keystore
                + "?passphrase=oops").build(), "a secret in a URI is refused");
    }

    @Test
    void open_unknownSchemeOrMissingPassphrase_validation() {
        ValidationException unknown = assertThrows(ValidationException.class,
                () -> Kms.builder().providerUri("nosuch:thing").build());
        assertTrue(unknown.getMessage().contains("local"), "lists the schemes that are available");
        assertThrows(ValidationException.class, () -> Kms.builder()
                .providerUri("local:" + dir.resolve("k")).option("passphrase-env", "KMS4J_TEST_UNSET_VARIABLE").build());
    }

    @Test
    void start_saysItIsDevelopmentOnly() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(LocalKmsProvider.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            LocalKmsProvider.inMemory().close();
        } finally {
            logger.removeHandler(capture);
        }
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("for development and tests only")));
    }

    @Test
    void start_underProductionProfile_refusedUnlessAllowed() {
        String before = System.getProperty("kms4j.profile");
        System.setProperty("kms4j.profile", "production");
        try {
            ValidationException e = assertThrows(ValidationException.class, LocalKmsProvider::inMemory);
            assertTrue(e.getMessage().contains("development only"));
            LocalKmsProvider.builder().inMemory().allowInProduction(true).build().close();
        } finally {
            if (before == null) {
                System.clearProperty("kms4j.profile");
            } else {
                System.setProperty("kms4j.profile", before);
            }
        }
    }
}
