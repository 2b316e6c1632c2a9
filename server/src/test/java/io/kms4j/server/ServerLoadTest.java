package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditLogVerifier;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.local.LocalKmsProvider;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * Many concurrent AWS SDK clients, thousands of requests, against the server over the local provider auditing
 * to a hash-chained, fsynced JSON Lines log: no request fails, every result is right, and the log holds exactly
 * one event per request and verifies. A correctness test under load; throughput is measured by
 * {@code server/bench/run.sh}, not here.
 */
class ServerLoadTest {
    private static final int CLIENTS = 24;
    private static final int REQUESTS_PER_CLIENT = 100;

    @TempDir
    Path dir;

    @Test
    public void manyClientsThousandsOfRequests_zeroErrors_oneVerifiedAuditEventEach() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        List<KmsClient> clients = new ArrayList<>();
        try (Kms kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(JsonLinesAuditSink.open(log))
                .build()) {
            KmsHttpServer server = KmsHttpServer.builder(kms).maxThreads(16).build().start();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(SdkClients.client(server.endpoint()));
                }
                String keyId = clients.get(0).createKey(b -> b.description("load")).keyMetadata().keyId();
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                AtomicInteger requests = new AtomicInteger(1); // the CreateKey above
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    KmsClient client = clients.get(c);
                    String tag = Integer.toString(c);
                    done.add(pool.submit(() -> {
                        go.await();
                        SecureRandom random = new SecureRandom();
                        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                            try {
                                switch (i % 3) {
                                    case 0: {
                                        byte[] plaintext = new byte[1 + random.nextInt(512)];
                                        random.nextBytes(plaintext);
                                        var enc = client.encrypt(b -> b.keyId(keyId)
                                                .plaintext(SdkBytes.fromByteArray(plaintext))
                                                .encryptionContext(Map.of("client", tag)));
                                        requests.incrementAndGet();
                                        var dec = client.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())
                                                .encryptionContext(Map.of("client", tag)));
                                        requests.incrementAndGet();
                                        assertArrayEquals(plaintext, dec.plaintext().asByteArray());
                                        break;
                                    }
                                    case 1:
                                        assertEquals(32, client.generateDataKey(b -> b.keyId(keyId)
                                                .keySpec(DataKeySpec.AES_256)).plaintext().asByteArray().length);
                                        requests.incrementAndGet();
                                        break;
                                    default:
                                        assertEquals(keyId, client.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId());
                                        requests.incrementAndGet();
                                }
                            } catch (Throwable t) {
                                errors.add(t);
                            }
                        }
                        return null;
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.MINUTES);
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("ServerLoadTest: %d requests from %d clients in %.1f s%n", requests.get(), CLIENTS,
                        seconds);
                if (!errors.isEmpty()) {
                    AssertionError failure = new AssertionError(errors.size() + " requests failed");
                    errors.stream().limit(5).forEach(failure::addSuppressed);
                    throw failure;
                }
                assertTrue(requests.get() >= 3000, "ran " + requests.get() + " requests");
                int expected = requests.get();
                server.stop();
                kms.close();

                AuditLogVerifier.Result verified = AuditLogVerifier.verify(log);
                assertTrue(verified.valid(), verified.toString());
                assertEquals(expected, verified.recordsVerified(), "exactly one audit event per request");
                List<AuditEvent> events = JsonLinesAuditSink.readEvents(log);
                assertEquals(expected, events.size());
                assertEquals(expected, new HashSet<>(events.stream().map(AuditEvent::requestId).toList()).size());
                for (AuditEvent e : events) {
                    assertEquals("127.0.0.1", e.sourceIpAddress());
                    assertTrue(e.userAgent().startsWith("aws-sdk-java/"), e.userAgent());
                    assertEquals(null, e.errorCode(), e.eventName());
                }
            } finally {
                server.stop();
                clients.forEach(KmsClient::close);
            }
        }
    }
}
