package io.kms4j.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.envelope.DataKeyCache;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelope encryption over the real local provider: a keystore-file instance and an in-memory instance stand in
 * for two backends, and the audit trail (not a stub) shows how many KMS calls the cache saves.
 */
class LocalProviderEnvelopeTest {
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme"));

    @TempDir
    Path dir;

    private final InMemoryAuditSink fileAudit = new InMemoryAuditSink();
    private final InMemoryAuditSink memoryAudit = new InMemoryAuditSink();
    private Kms fileKms;
    private Kms memoryKms;

    private void open() {
        fileKms = Kms.builder().provider(LocalKmsProvider.builder().keystore(dir.resolve("keystore.k4j"))
                .passphrase("envelope test".toCharArray()).kdfParameters(KdfParameters.FOR_TESTS).build())
                .auditSink(fileAudit).build();
        memoryKms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(memoryAudit).build();
    }

    @AfterEach
    void close() {
        if (fileKms != null) {
            fileKms.close();
            memoryKms.close();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void envelope_twoLocalBackends_eachDecryptsAloneAndTheWrongInstanceCannot() throws IOException {
        open();
        String fileKey = fileKms.createKey().arn();
        String memoryKey = memoryKms.createKey().arn();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(fileKms, fileKey)
                .wrappingKey(memoryKms, memoryKey).frameLength(4096).build();
        byte[] plaintext = random(100_000);
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);

        assertArrayEquals(plaintext, EnvelopeDecryptor.builder().wrappingKey(fileKms, fileKey).build()
                .decrypt(message, CONTEXT));
        EnvelopeDecryptor.Decrypted viaMemory = EnvelopeDecryptor.builder().wrappingKey(memoryKms, memoryKey)
                .build().decryptDetailed(message, CONTEXT);
        assertArrayEquals(plaintext, viaMemory.plaintext());
        assertEquals(memoryKey, viaMemory.unwrappedBy().keyId());

        try (Kms stranger = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(new InMemoryAuditSink())
                .build()) {
            assertThrows(InvalidCiphertextException.class,
                    () -> EnvelopeDecryptor.builder().discovery(stranger).build().decrypt(message, CONTEXT));
        }

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = encryptor.encryptingStream(sink, CONTEXT)) {
            out.write(random(1 << 20));
        }
        try (InputStream in = EnvelopeDecryptor.builder().discovery(fileKms).build()
                .decryptingStream(new ByteArrayInputStream(sink.toByteArray()), CONTEXT)) {
            assertArrayEquals(random(1 << 20), in.readAllBytes());
        }
    }

    @Test
    void envelope_withCache_auditTrailShowsOneGenerateDataKeyAndOneDecryptForManyMessages() {
        open();
        String key = memoryKms.createKey().arn();
        DataKeyCache cache = DataKeyCache.builder().maxAge(Duration.ofMinutes(5)).build();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(memoryKms, key).dataKeyCache(cache)
                .build();
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        memoryAudit.clear();
        for (int i = 0; i < 500; i++) {
            byte[] plaintext = random(i);
            assertArrayEquals(plaintext, decryptor.decrypt(encryptor.encrypt(plaintext, CONTEXT), CONTEXT));
        }
        assertEquals(1, memoryAudit.events(e -> e.eventName().equals("GenerateDataKey")).size());
        assertEquals(1, memoryAudit.events(e -> e.eventName().equals("Decrypt")).size());
        assertEquals(2, memoryAudit.size());
        DataKeyCache.Stats stats = cache.stats();
        assertEquals(499, stats.encryptHits());
        assertEquals(499, stats.decryptHits());
    }
}
