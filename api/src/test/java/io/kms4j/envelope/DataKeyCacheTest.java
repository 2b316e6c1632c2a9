package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.WipeableSecretKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data key cache against a real provider, with a stub that counts the calls reaching it (we need call
 * counts) and a clock that only moves when told.
 */
class DataKeyCacheTest {
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme"));

    private final CountingProvider counting = new CountingProvider(TestKeyringProvider.create("alpha"));
    private final Kms kms = Fixtures.kms(counting);
    private final String keyArn = kms.createKey().arn();
    private final TestClock clock = new TestClock();

    @AfterEach
    void close() {
        kms.close();
    }

    private DataKeyCache.Builder cache() {
        return DataKeyCache.builder().maxAge(Duration.ofMinutes(5)).clock(clock);
    }

    private EnvelopeEncryptor encryptor(DataKeyCache cache) {
        return EnvelopeEncryptor.builder().wrappingKey(kms, keyArn).dataKeyCache(cache).build();
    }

    /** The data key section of a message's header: equal sections mean the same data key. */
    private static byte[] dataKeySection(byte[] message) {
        EnvelopeHeader h = EnvelopeHeader.parse(message);
        return Arrays.copyOf(message, h.length() - 4);
    }

    @Test
    void encrypt_millionMessagesUnderOneCachedKey_noRepeatedIvAndOneBackendCall() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        byte[] plaintext = new byte[16];
        byte[] firstSection = null;
        BitSet messageNumbers = new BitSet(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            byte[] message = encryptor.encrypt(plaintext, CONTEXT);
            if (firstSection == null) {
                firstSection = dataKeySection(message);
            }
            int sectionEnd = firstSection.length;
            assertTrue(Arrays.equals(firstSection, 0, sectionEnd, message, 0, sectionEnd), "same data key");
            // The frame IV is (message number, frame index, frame type); one frame per message here, so distinct
            // message numbers under one data key are exactly distinct IVs.
            int messageNumber = (int) io.kms4j.envelope.internal.MessageFormat.getUint32(message, sectionEnd);
            assertFalse(messageNumbers.get(messageNumber), "IV repeated at message " + i);
            messageNumbers.set(messageNumber);
        }
        assertEquals(1_000_000, messageNumbers.cardinality());
        assertEquals(1, counting.generateDataKeyCalls.get());
        assertEquals(new DataKeyCache.Stats(999_999, 1, 0, 0, 0, 1), cache.stats());
    }

    @Test
    void encrypt_messageAfterMaxMessages_fetchesNewDataKey() {
        DataKeyCache cache = cache().maxMessages(5).build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        byte[][] sections = new byte[11][];
        for (int i = 0; i < 11; i++) {
            byte[] message = encryptor.encrypt(new byte[1], CONTEXT);
            sections[i] = dataKeySection(message);
            assertEquals(i % 5, EnvelopeHeader.parse(message).messageNumber());
        }
        for (int i = 1; i < 5; i++) {
            assertArrayEquals(sections[0], sections[i]);
        }
        assertFalse(Arrays.equals(sections[4], sections[5]), "message 6 has a new data key");
        assertArrayEquals(sections[5], sections[9]);
        assertFalse(Arrays.equals(sections[9], sections[10]));
        assertEquals(3, counting.generateDataKeyCalls.get());
    }

    @Test
    void encrypt_countingStub_atMostOneCallPerMaxMessagesEncryptions() {
        DataKeyCache cache = cache().maxMessages(100).build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        for (int i = 0; i < 1000; i++) {
            encryptor.encrypt(new byte[10], CONTEXT);
        }
        assertEquals(10, counting.generateDataKeyCalls.get());
        assertEquals(990, cache.stats().encryptHits());
        assertEquals(10, cache.stats().encryptMisses());
    }

    @Test
    void encrypt_expiredEntry_neverUsed() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        byte[] first = dataKeySection(encryptor.encrypt(new byte[1], CONTEXT));
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertArrayEquals(first, dataKeySection(encryptor.encrypt(new byte[1], CONTEXT)), "still young enough");
        clock.advance(Duration.ofMillis(1));
        byte[] third = dataKeySection(encryptor.encrypt(new byte[1], CONTEXT));
        assertFalse(Arrays.equals(first, third), "at max age the entry is not used");
        assertEquals(2, counting.generateDataKeyCalls.get());
        assertEquals(1, cache.stats().evictions());
    }

    @Test
    void encrypt_maxBytes_nextDataKeyWhenTheMessageWouldPassIt() {
        DataKeyCache cache = cache().maxBytes(100).build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        byte[] a = dataKeySection(encryptor.encrypt(new byte[40], CONTEXT));
        byte[] b = dataKeySection(encryptor.encrypt(new byte[60], CONTEXT)); // exactly 100
        byte[] c = dataKeySection(encryptor.encrypt(new byte[1], CONTEXT));  // 101: new key
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(b, c));
        // A message larger than the limit is never cached: it gets a key of its own, and the cache stays.
        byte[] big = dataKeySection(encryptor.encrypt(new byte[101], CONTEXT));
        byte[] d = dataKeySection(encryptor.encrypt(new byte[1], CONTEXT));
        assertFalse(Arrays.equals(big, c));
        assertArrayEquals(c, d);
        assertEquals(3, counting.generateDataKeyCalls.get());
    }

    @Test
    void entries_differentContextsEncryptorsAndDirections_neverShared() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor one = encryptor(cache);
        EnvelopeEncryptor two = encryptor(cache);
        byte[] a = dataKeySection(one.encrypt(new byte[1], CONTEXT));
        byte[] b = dataKeySection(one.encrypt(new byte[1], Map.of("tenant", "other")));
        byte[] c = dataKeySection(two.encrypt(new byte[1], CONTEXT));
        assertFalse(Arrays.equals(a, b), "contexts do not share");
        assertFalse(Arrays.equals(a, c), "encryptors (wrapping-key configurations) do not share");
        assertEquals(3, counting.generateDataKeyCalls.get());
        assertEquals(3, cache.stats().size());
    }

    @Test
    void decrypt_sameWrappedKeyAndContext_unwrapsOnce() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        byte[][] messages = new byte[1000][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = encryptor.encrypt(Fixtures.bytes(50, i), CONTEXT);
        }
        for (int i = 0; i < messages.length; i++) {
            assertArrayEquals(Fixtures.bytes(50, i), decryptor.decrypt(messages[i], CONTEXT));
        }
        assertEquals(1, counting.decryptCalls.get());
        DataKeyCache.Stats stats = cache.stats();
        assertEquals(999, stats.decryptHits());
        assertEquals(1, stats.decryptMisses());
        // Another decryptor (another key configuration) does not reuse this one's entry.
        EnvelopeDecryptor other = EnvelopeDecryptor.builder().discovery(kms).dataKeyCache(cache).build();
        assertArrayEquals(Fixtures.bytes(50, 0), other.decrypt(messages[0], CONTEXT));
        assertEquals(2, counting.decryptCalls.get());
    }

    @Test
    void decrypt_expiredEntry_unwrapsAgain() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        byte[] message = encryptor.encrypt(new byte[5], CONTEXT);
        decryptor.decrypt(message, CONTEXT);
        decryptor.decrypt(message, CONTEXT);
        assertEquals(1, counting.decryptCalls.get());
        clock.advance(Duration.ofMinutes(5));
        decryptor.decrypt(message, CONTEXT);
        assertEquals(2, counting.decryptCalls.get());
    }

    @Test
    void clearAndClose_wipeEntriesAndStopCaching() {
        DataKeyCache cache = cache().build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        encryptor.encrypt(new byte[1], CONTEXT);
        cache.clear();
        assertEquals(0, cache.stats().size());
        encryptor.encrypt(new byte[1], CONTEXT);
        assertEquals(2, counting.generateDataKeyCalls.get());
        cache.close();
        encryptor.encrypt(new byte[1], CONTEXT);
        encryptor.encrypt(new byte[1], CONTEXT);
        assertEquals(4, counting.generateDataKeyCalls.get(), "a closed cache caches nothing");
        assertEquals(0, cache.stats().size());
    }

    @Test
    void capacity_oldestEntryEvictedFirst() {
        DataKeyCache cache = cache().capacity(2).build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        byte[] a = dataKeySection(encryptor.encrypt(new byte[1], Map.of("n", "1")));
        clock.advance(Duration.ofSeconds(1));
        encryptor.encrypt(new byte[1], Map.of("n", "2"));
        clock.advance(Duration.ofSeconds(1));
        encryptor.encrypt(new byte[1], Map.of("n", "3")); // evicts n=1
        assertEquals(2, cache.stats().size());
        byte[] again = dataKeySection(encryptor.encrypt(new byte[1], Map.of("n", "1")));
        assertFalse(Arrays.equals(a, again));
        assertEquals(4, counting.generateDataKeyCalls.get());
    }

    @Test
    void entry_retiredWithReservationsOutstanding_wipesOnlyAfterTheLastCompletes() {
        WipeableSecretKey key = new WipeableSecretKey(new byte[32], "AES");
        CachedDataKey entry = new CachedDataKey(new byte[40], key, CONTEXT, new WrappedKeyInfo("alpha", keyArn), 0,
                Long.MAX_VALUE, 10, Long.MAX_VALUE, 1); // message 0 reserved by its creator
        assertEquals(1, entry.tryReserve(1));
        entry.retire();
        assertEquals(-1, entry.tryReserve(1), "no reservations after retirement");
        assertFalse(key.isDestroyed(), "two reservations are still running");
        entry.complete();
        assertFalse(key.isDestroyed());
        entry.complete();
        assertTrue(key.isDestroyed(), "wiped as soon as the last one completed");
        assertThrows(WipeableSecretKey.DestroyedException.class, key::getEncoded);
    }

    @Test
    void entry_expiredOrUsedUp_wipedOnEviction() {
        DataKeyCache cache = cache().maxMessages(1).build();
        EnvelopeEncryptor encryptor = encryptor(cache);
        encryptor.encrypt(new byte[1], CONTEXT);
        encryptor.encrypt(new byte[1], CONTEXT); // the first entry is used up and evicted
        assertEquals(1, cache.stats().evictions());
        assertEquals(1, cache.stats().size());
    }

    @Test
    void builder_limitsOutOfRange_validationException() {
        assertThrows(ValidationException.class, () -> DataKeyCache.builder().build(), "max age is required");
        assertThrows(ValidationException.class, () -> DataKeyCache.builder().maxAge(Duration.ZERO).build());
        assertThrows(ValidationException.class, () -> cache().maxMessages(0).build());
        assertThrows(ValidationException.class, () -> cache().maxMessages((1L << 32) + 1).build());
        assertThrows(ValidationException.class, () -> cache().maxBytes(0).build());
        assertThrows(ValidationException.class, () -> cache().capacity(0).build());
        assertEquals(1L << 32, cache().build().maxMessages());
        assertNotEquals(null, cache().maxMessages(1L << 32).build());
    }
}
