package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.KeySpec;
import io.kms4j.KeyUnavailableException;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.MessageType;
import io.kms4j.SignRequest;
import io.kms4j.SigningAlgorithm;
import io.kms4j.pkcs11.internal.Pkcs11Errors;
import io.kms4j.audit.InMemoryAuditSink;
import java.security.AuthProvider;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Another part of the process logs the token out (through its own SunPKCS11 instance, which logs out every
 * instance on the slot, as PKCS#11 login state belongs to the process). kms4j's cached key handles then fail
 * with CKR_OBJECT_HANDLE_INVALID; the provider must log in again, fetch fresh handles and carry on.
 */
class Pkcs11SessionRecoveryTest {

    private static Kms openKms() {
        return Kms.builder().provider(TestToken.builder(TestToken.freshStateDirectory(), Clock.systemUTC()).build())
                .auditSink(new InMemoryAuditSink()).build();
    }

    @Test
    void externalLogout_thenSignVerifyAndGetPublicKey_succeedAfterTransparentRelogin() throws Exception {
        try (Kms kms = openKms()) {
            Provider other = TestToken.rawSunPkcs11(TestToken.label());
            KeyStore otherStore = KeyStore.getInstance("PKCS11", other);
            for (KeySpec spec : new KeySpec[] {KeySpec.ECC_NIST_P256, KeySpec.RSA_2048}) {
                String keyId = kms.createKey(new CreateKeyRequest("recovery", KeyUsage.SIGN_VERIFY, spec)).keyId();
                for (SigningAlgorithm algorithm : SigningAlgorithm.forKeySpec(spec)) {
                    byte[] message = (spec + " " + algorithm).getBytes();
                    byte[] before = sign(kms, keyId, message, algorithm);
                    otherStore.load(null, TestToken.pin());
                    ((AuthProvider) other).logout();
                    byte[] after = sign(kms, keyId, message, algorithm); // cached private key handle is stale
                    otherStore.load(null, TestToken.pin());
                    ((AuthProvider) other).logout();
                    for (byte[] signature : List.of(before, after)) {
                        assertTrue(kms.verify(SignRequest.builder().keyId(keyId).message(message)
                                .messageType(MessageType.RAW).signature(signature).signingAlgorithm(algorithm).build())
                                .signatureValid(), spec + " " + algorithm);
                    }
                }
                otherStore.load(null, TestToken.pin());
                ((AuthProvider) other).logout();
                assertEquals(spec, kms.getPublicKey(keyId).keySpec());
            }
        }
    }

    private static byte[] sign(Kms kms, String keyId, byte[] message, SigningAlgorithm algorithm) {
        return kms.sign(SignRequest.builder().keyId(keyId).message(message).messageType(MessageType.RAW)
                .signingAlgorithm(algorithm).build()).signature();
    }

    @Test
    void externalLogout_thenEveryOperation_succeedsAfterTransparentRelogin() throws Exception {
        try (Kms kms = openKms()) {
            String keyId = kms.createKey().keyId();
            byte[] before = kms.encrypt(keyId, "before".getBytes(), Map.of("a", "b")).ciphertextBlob();

            Provider other = TestToken.rawSunPkcs11(TestToken.label());
            KeyStore otherStore = KeyStore.getInstance("PKCS11", other);
            otherStore.load(null, TestToken.pin());
            Key otherKey = otherStore.getKey(Pkcs11KmsProvider.tokenObjectLabel(keyId, 1), null);
            ((AuthProvider) other).logout();
            // The logout is real: a handle fetched before it no longer works.
            Cipher stale = Cipher.getInstance("AES/GCM/NoPadding", other);
            InvalidKeyException raw = assertThrows(InvalidKeyException.class,
                    () -> stale.init(Cipher.ENCRYPT_MODE, otherKey, new GCMParameterSpec(128, new byte[12])));
            // What kms4j makes of such a failure when it cannot recover: a typed, retryable error.
            assertEquals("CKR_OBJECT_HANDLE_INVALID", Pkcs11Errors.code(raw).orElseThrow());
            KmsException typed = Pkcs11Errors.toKms("encrypt", raw);
            assertEquals(KeyUnavailableException.class, typed.getClass());
            assertTrue(typed.errorCode().retryable());

            try (DecryptResult r = kms.decrypt(before, Map.of("a", "b"))) {
                assertArrayEquals("before".getBytes(), r.plaintext());
            }
            ((AuthProvider) other).logout();
            byte[] after = kms.encrypt(keyId, "after".getBytes()).ciphertextBlob();
            ((AuthProvider) other).logout();
            try (DataKey dataKey = kms.generateDataKey(keyId, DataKeySpec.AES_256)) {
                ((AuthProvider) other).logout();
                try (DecryptResult r = kms.decrypt(dataKey.ciphertextBlob())) {
                    assertArrayEquals(dataKey.plaintext(), r.plaintext());
                }
            }
            ((AuthProvider) other).logout();
            kms.rotateKeyOnDemand(keyId);
            try (DecryptResult r = kms.decrypt(after)) {
                assertArrayEquals("after".getBytes(), r.plaintext());
            }
        }
    }

    @Test
    void externalLogoutsDuringConcurrentLoad_noOperationFails() throws Exception {
        try (Kms kms = openKms()) {
            String keyId = kms.createKey().keyId();
            Provider other = TestToken.rawSunPkcs11(TestToken.label());
            int threads = 8;
            int perThread = 150;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try (DataKey dk = kms.generateDataKey(keyId, DataKeySpec.AES_256);
                             DecryptResult r = kms.decrypt(dk.ciphertextBlob())) {
                            if (!java.util.Arrays.equals(dk.plaintext(), r.plaintext())) {
                                throw new AssertionError("data key mismatch");
                            }
                            done.incrementAndGet();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            int logouts = 0;
            while (done.get() < threads * perThread && logouts < 5) {
                Thread.sleep(100);
                ((AuthProvider) other).logout();
                logouts++;
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError(errors.size() + " operations failed");
                errors.stream().limit(3).forEach(failure::addSuppressed);
                throw failure;
            }
            assertEquals(threads * perThread, done.get());
            assertTrue(logouts >= 1, "the token was logged out while the threads ran");
        }
    }
}
