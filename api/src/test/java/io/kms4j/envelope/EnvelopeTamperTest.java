package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.FrameCipher;
import io.kms4j.envelope.internal.MessageCodec;
import io.kms4j.envelope.internal.MessageFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every way of changing a message is detected: truncation anywhere, reordered or dropped frames, frames from
 * another message, any changed header or body byte, a changed context, trailing bytes, and a header whose wrapped
 * keys hold different data keys (key commitment).
 */
class EnvelopeTamperTest {
    private static final int FRAME = 16;
    private static final int REGULAR = FRAME + MessageFormat.REGULAR_FRAME_OVERHEAD;
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme"));

    private final Kms alpha = Fixtures.kms("alpha");
    private final String alphaKey = alpha.createKey().arn();
    private final DataKeyCache cache = DataKeyCache.builder().maxAge(Duration.ofMinutes(10)).build();
    private final EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey)
            .frameLength(FRAME).dataKeyCache(cache).build();
    private final EnvelopeDecryptor cachedDecryptor = encryptor.decryptor();
    private final EnvelopeDecryptor uncachedDecryptor = EnvelopeDecryptor.builder().wrappingKey(alpha, alphaKey)
            .build();
    private final byte[] plaintext = Fixtures.bytes(3 * FRAME + 5, 11); // three regular frames and a final one

    @AfterEach
    void close() {
        alpha.close();
    }

    @Test
    void decrypt_truncatedAtEveryLength_invalidCiphertext() {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        for (int length = 0; length < message.length; length++) {
            byte[] cut = Arrays.copyOf(message, length);
            assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(cut, CONTEXT),
                    "truncated to " + length);
        }
    }

    @Test
    void decryptingStream_truncatedAtEveryLength_failsBeforeEndOfStream() {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        for (int length = 0; length < message.length; length++) {
            byte[] cut = Arrays.copyOf(message, length);
            assertThrows(InvalidCiphertextException.class, () -> {
                try (InputStream in = cachedDecryptor.decryptingStream(new ByteArrayInputStream(cut), CONTEXT)) {
                    in.readAllBytes();
                }
            }, "truncated to " + length);
        }
    }

    @Test
    void decrypt_trailingBytes_invalidCiphertext() throws IOException {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        byte[] longer = Arrays.copyOf(message, message.length + 1);
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(longer, CONTEXT));
        try (InputStream in = cachedDecryptor.decryptingStream(new ByteArrayInputStream(longer), CONTEXT)) {
            byte[] buffer = new byte[plaintext.length + 10];
            assertThrows(InvalidCiphertextException.class, () -> {
                int total = 0;
                for (int n; (n = in.read(buffer, total, buffer.length - total)) > 0; ) {
                    total += n;
                }
            });
        }
    }

    @Test
    void decrypt_framesSwappedWithinMessage_invalidCiphertext() {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        int body = EnvelopeHeader.parse(message).length();
        byte[] swapped = message.clone();
        System.arraycopy(message, body, swapped, body + REGULAR, REGULAR);
        System.arraycopy(message, body + REGULAR, swapped, body, REGULAR);
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(swapped, CONTEXT));
        assertThrows(InvalidCiphertextException.class, () -> uncachedDecryptor.decrypt(swapped, CONTEXT));
    }

    @Test
    void decrypt_middleFrameDropped_invalidCiphertext() {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        int body = EnvelopeHeader.parse(message).length();
        byte[] dropped = new byte[message.length - REGULAR];
        System.arraycopy(message, 0, dropped, 0, body);
        System.arraycopy(message, body + REGULAR, dropped, body, message.length - body - REGULAR);
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(dropped, CONTEXT));
    }

    @Test
    void decrypt_frameFromAnotherMessageUnderTheSameDataKey_invalidCiphertext() {
        byte[] first = encryptor.encrypt(plaintext, CONTEXT);
        byte[] second = encryptor.encrypt(Fixtures.bytes(plaintext.length, 12), CONTEXT);
        EnvelopeHeader h1 = EnvelopeHeader.parse(first);
        EnvelopeHeader h2 = EnvelopeHeader.parse(second);
        assertEquals(h1.length(), h2.length());
        assertEquals(0, h1.messageNumber());
        assertEquals(1, h2.messageNumber(), "same cached data key, next message number");
        int body = h1.length();
        for (int frame = 0; frame < 3; frame++) {
            byte[] mixed = first.clone();
            System.arraycopy(second, body + frame * REGULAR, mixed, body + frame * REGULAR, REGULAR);
            assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(mixed, CONTEXT));
        }
        byte[] mixedFinal = first.clone();
        System.arraycopy(second, body + 3 * REGULAR, mixedFinal, body + 3 * REGULAR, first.length - body - 3 * REGULAR);
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(mixedFinal, CONTEXT));
        // The whole body of one message under the other's header (a header swap) fails too.
        byte[] headerSwap = second.clone();
        System.arraycopy(first, 0, headerSwap, 0, body);
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(headerSwap, CONTEXT));
    }

    @Test
    void decrypt_anyByteChanged_typedErrorAndNeverPlaintext() {
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        assertArrayEquals(plaintext, cachedDecryptor.decrypt(message, CONTEXT)); // the entry is now cached
        for (int i = 0; i < message.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] altered = message.clone();
                altered[i] ^= (byte) bit;
                for (EnvelopeDecryptor d : List.of(cachedDecryptor, uncachedDecryptor)) {
                    try {
                        d.decrypt(altered, CONTEXT);
                        fail("byte " + i + " changed (xor " + bit + ") still decrypted");
                    } catch (KmsException expected) {
                        // Typed, whichever check caught it (parse, context, KMS unwrap, commitment, tag).
                    }
                }
            }
        }
        assertArrayEquals(plaintext, cachedDecryptor.decrypt(message, CONTEXT), "the original still decrypts");
    }

    @Test
    void decrypt_changedContextInHeaderWithMatchingCallerContext_invalidCiphertext() {
        byte[] message = encryptor.encrypt(plaintext, EncryptionContext.of(Map.of("tenant", "acme")));
        byte[] altered = message.clone();
        int contextStart = MessageFormat.CONTEXT_OFFSET;
        // "acme" -> "acmf" in the header, and the caller claims the altered context.
        int at = indexOf(altered, "acme".getBytes(), contextStart);
        altered[at + 3] = 'f';
        EncryptionContext claimed = EncryptionContext.of(Map.of("tenant", "acmf"));
        assertThrows(InvalidCiphertextException.class, () -> uncachedDecryptor.decrypt(altered, claimed));
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(altered, claimed));
    }

    @Test
    void decrypt_wrappedKeysHoldDifferentDataKeys_keyCommitmentRefusesTheOddOne() {
        try (Kms beta = Fixtures.kms("beta")) {
            String betaKey = beta.createKey().arn();
            byte[] dataKey1 = Fixtures.bytes(32, 1);
            byte[] dataKey2 = Fixtures.bytes(32, 2);
            Map<String, String> ctx = CONTEXT.asMap();
            List<MessageFormat.WrappedKey> wrapped = List.of(
                    new MessageFormat.WrappedKey("alpha", alphaKey, alpha.encrypt(alphaKey, dataKey1, ctx).ciphertextBlob()),
                    new MessageFormat.WrappedKey("beta", betaKey, beta.encrypt(betaKey, dataKey2, ctx).ciphertextBlob()));
            CachedDataKey entry = CachedDataKey.fromDataKey(dataKey1, 1, FRAME, CONTEXT, wrapped,
                    wrapped.get(0).info(), 0, Long.MAX_VALUE, 1, Long.MAX_VALUE, 0);
            byte[] message = MessageCodec.seal(entry, 0, plaintext, FrameCipher.create());

            assertArrayEquals(plaintext, EnvelopeDecryptor.builder().wrappingKey(alpha, alphaKey).build()
                    .decrypt(message, CONTEXT), "the recipient of the committed data key decrypts");
            InvalidCiphertextException e = assertThrows(InvalidCiphertextException.class, () -> EnvelopeDecryptor
                    .builder().wrappingKey(beta, betaKey).build().decrypt(message, CONTEXT));
            assertTrue(e.getMessage().contains("key commitment"), e.getMessage());
        }
    }

    @Test
    void decrypt_notAnEnvelopeMessage_invalidCiphertext() {
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(new byte[0], CONTEXT));
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(new byte[100], CONTEXT));
        byte[] kmsBlob = alpha.encrypt(alphaKey, new byte[10], Map.of()).ciphertextBlob();
        assertThrows(InvalidCiphertextException.class, () -> cachedDecryptor.decrypt(kmsBlob, CONTEXT));
    }

    @Test
    void decrypt_moreWrappedKeysThanAllowed_refusedBeforeAnyKmsCall() {
        CountingProvider counting = new CountingProvider(TestKeyringProvider.create("gamma"));
        try (Kms gamma = Fixtures.kms(counting)) {
            String gammaKey = gamma.createKey().arn();
            EnvelopeEncryptor.Builder b = EnvelopeEncryptor.builder();
            for (int i = 0; i < 3; i++) {
                b.wrappingKey(gamma, gammaKey);
            }
            byte[] message = b.build().encrypt(plaintext, CONTEXT);
            EnvelopeDecryptor limited = EnvelopeDecryptor.builder().wrappingKey(gamma, gammaKey).maxWrappedKeys(2)
                    .build();
            int before = counting.decryptCalls.get();
            assertThrows(InvalidCiphertextException.class, () -> limited.decrypt(message, CONTEXT));
            assertEquals(before, counting.decryptCalls.get());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
