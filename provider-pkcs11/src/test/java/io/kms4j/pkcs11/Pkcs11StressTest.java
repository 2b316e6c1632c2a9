package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * One provider instance, 16 threads, thousands of Encrypt, Decrypt and GenerateDataKey calls on the real token:
 * every round trip exact, zero errors, and every tampered ciphertext (one flipped bit anywhere, or a wrong
 * context) rejected with InvalidCiphertextException.
 */
class Pkcs11StressTest {
    private static final int THREADS = 16;
    private static final int ROUNDS_PER_THREAD = 125; // x 4 calls = 8000 calls, plus 4000 tampered decrypts

    @Test
    void sixteenThreads_thousandsOfCalls_zeroErrorsAndEveryTamperRejected() throws Exception {
        try (Kms kms = Kms.builder().provider(TestToken.builder(TestToken.freshStateDirectory(), Clock.systemUTC())
                .build()).auditSink(new InMemoryAuditSink()).build()) {
            String[] keys = {kms.createKey().keyId(), kms.createKey().keyId(), kms.createKey().keyId()};
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger tampersRejected = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SecureRandom random = new SecureRandom();
                    start.await();
                    for (int i = 0; i < ROUNDS_PER_THREAD; i++) {
                        try {
                            String key = keys[(thread + i) % keys.length];
                            Map<String, String> context = Map.of("thread", Integer.toString(thread), "i",
                                    Integer.toString(i));
                            byte[] plaintext = new byte[random.nextInt(4097)];
                            random.nextBytes(plaintext);
                            byte[] blob = kms.encrypt(key, plaintext, context).ciphertextBlob();
                            try (DecryptResult r = kms.decrypt(blob, context)) {
                                check(Arrays.equals(plaintext, r.plaintext()), "round trip");
                            }
                            try (DataKey dk = kms.generateDataKey(key, DataKeySpec.AES_256, context);
                                 DecryptResult r = kms.decrypt(dk.ciphertextBlob(), context)) {
                                check(Arrays.equals(dk.plaintext(), r.plaintext()), "data key");
                                byte[] tamperedKey = dk.ciphertextBlob();
                                tamperedKey[random.nextInt(tamperedKey.length)] ^= (byte) (1 << random.nextInt(8));
                                expectRejected(kms, tamperedKey, context, tampersRejected);
                            }
                            calls.addAndGet(4);
                            byte[] tampered = blob.clone();
                            tampered[random.nextInt(tampered.length)] ^= (byte) (1 << random.nextInt(8));
                            expectRejected(kms, tampered, context, tampersRejected);
                            expectRejected(kms, blob, Map.of("thread", "other"), tampersRejected);
                            byte[] truncated = Arrays.copyOf(blob, random.nextInt(blob.length));
                            expectRejected(kms, truncated, context, tampersRejected);
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError(errors.size() + " of the calls failed");
                errors.stream().limit(5).forEach(failure::addSuppressed);
                throw failure;
            }
            assertEquals(THREADS * ROUNDS_PER_THREAD * 4, calls.get());
            assertEquals(THREADS * ROUNDS_PER_THREAD * 4, tampersRejected.get());
            assertTrue(calls.get() >= 8000);
        }
    }

    private static void expectRejected(Kms kms, byte[] tampered, Map<String, String> context, AtomicInteger count) {
        try (DecryptResult r = kms.decrypt(tampered, context)) {
            throw new AssertionError("a tampered ciphertext decrypted to " + r.length() + " bytes");
        } catch (InvalidCiphertextException expected) {
            count.incrementAndGet();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " mismatch");
        }
    }
}
