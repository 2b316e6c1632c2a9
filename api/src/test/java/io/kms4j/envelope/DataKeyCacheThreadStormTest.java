package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.internal.MessageFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads hammer one cache at once: each data key still serves exactly its message limit with no message
 * number (IV) handed out twice, the backend sees one call per data key, and keys expiring and being wiped under
 * running threads never produce a wrong message.
 */
class DataKeyCacheThreadStormTest {
    private static final int THREADS = 8;
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme"));

    private final CountingProvider counting = new CountingProvider(TestKeyringProvider.create("alpha"));
    private final Kms kms = Fixtures.kms(counting);
    private final String keyArn = kms.createKey().arn();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        kms.close();
    }

    @Test
    void threadStorm_sharedCache_oneBackendCallPerMaxMessagesAndNoRepeatedIv() throws Exception {
        int perThread = 6_250;
        int maxMessages = 500;
        DataKeyCache cache = DataKeyCache.builder().maxAge(Duration.ofMinutes(5)).maxMessages(maxMessages).build();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(kms, keyArn).dataKeyCache(cache)
                .frameLength(64).build();
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        Map<ByteBuffer, Set<Long>> numbersByDataKey = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    byte[] plaintext = Fixtures.bytes(1 + (i % 200), thread * perThread + i);
                    byte[] message = encryptor.encrypt(plaintext, CONTEXT);
                    int sectionEnd = MessageFormat.dataKeySectionEnd(message, message.length, 1);
                    long number = MessageFormat.getUint32(message, sectionEnd);
                    Set<Long> numbers = numbersByDataKey.computeIfAbsent(
                            ByteBuffer.wrap(Arrays.copyOf(message, sectionEnd)), k -> ConcurrentHashMap.newKeySet());
                    assertTrue(numbers.add(number), "message number (IV) handed out twice: " + number);
                    assertArrayEquals(plaintext, decryptor.decrypt(message, CONTEXT));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        int total = THREADS * perThread;
        assertEquals(total / maxMessages, counting.generateDataKeyCalls.get(),
                "exactly one GenerateDataKey per " + maxMessages + " messages");
        assertEquals(total / maxMessages, numbersByDataKey.size());
        for (Set<Long> numbers : numbersByDataKey.values()) {
            assertEquals(maxMessages, numbers.size(), "each data key served exactly its limit");
        }
        assertEquals(total / maxMessages, counting.decryptCalls.get(), "one unwrap per data key");
        DataKeyCache.Stats stats = cache.stats();
        assertEquals(total, stats.encryptHits() + stats.encryptMisses());
        assertEquals(total / maxMessages, stats.encryptMisses());
    }

    @Test
    void threadStorm_entriesExpiringUnderRunningThreads_everyMessageStillCorrect() throws Exception {
        TestClock clock = new TestClock();
        DataKeyCache cache = DataKeyCache.builder().maxAge(Duration.ofMillis(50)).clock(clock).build();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(kms, keyArn).dataKeyCache(cache)
                .frameLength(32).build();
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger messages = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; running.get(); i++) {
                    byte[] plaintext = Fixtures.bytes(i % 300, thread * 1_000_000 + i);
                    byte[] message = encryptor.encrypt(plaintext, CONTEXT);
                    assertArrayEquals(plaintext, decryptor.decrypt(message, CONTEXT));
                    messages.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        // Age the entries while the threads run, so they expire, are evicted and wiped mid-flight.
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(20));
            Thread.sleep(5);
        }
        running.set(false);
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertTrue(messages.get() > THREADS, "the threads made progress: " + messages.get());
        assertTrue(cache.stats().evictions() > 10, "entries were evicted while in use: " + cache.stats());
        cache.cleanUp();
    }
}
