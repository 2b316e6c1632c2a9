package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.EncryptionContext;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.FrameCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encrypt and decrypt byte arrays and streams, with one or several wrapping keys on different backends. */
class EnvelopeRoundTripTest {
    private static final int FRAME = 64;
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("tenant", "acme", "purpose", "test"));

    private final Kms alpha = Fixtures.kms("alpha");
    private final Kms beta = Fixtures.kms("beta");
    private final String alphaKey = alpha.createKey().arn();
    private final String betaKey = beta.createKey().arn();

    @AfterEach
    void close() {
        alpha.close();
        beta.close();
    }

    private EnvelopeEncryptor encryptor() {
        return EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey).frameLength(FRAME).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, FRAME - 1, FRAME, FRAME + 1, 2 * FRAME, 2 * FRAME + 1, 10 * FRAME + 7})
    void encrypt_anyLength_decryptsToSamePlaintext(int length) {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] plaintext = Fixtures.bytes(length, length);
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        assertArrayEquals(plaintext, encryptor.decryptor().decrypt(message, CONTEXT));
        EnvelopeHeader header = EnvelopeHeader.parse(message);
        long regular = length == 0 ? 0 : (length - 1) / FRAME;
        long expectedLength = header.length() + regular * (FRAME + 17) + (length - regular * FRAME) + 21;
        assertEquals(expectedLength, message.length, "frames take exactly the documented space");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, FRAME, FRAME + 1, 5 * FRAME, 5 * FRAME + 3})
    void encryptingStream_anyLength_sameBytesAsByteArrayFormatAndDecryptsBothWays(int length) throws IOException {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] plaintext = Fixtures.bytes(length, 7 * length);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = encryptor.encryptingStream(sink, CONTEXT)) {
            // Uneven writes, including single bytes, cross frame boundaries at every offset.
            int i = 0;
            while (i < length) {
                int n = Math.min(length - i, (i % 3 == 0) ? 1 : 29);
                if (n == 1) {
                    out.write(plaintext[i]);
                } else {
                    out.write(plaintext, i, n);
                }
                i += n;
            }
        }
        byte[] message = sink.toByteArray();
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        assertArrayEquals(plaintext, decryptor.decrypt(message, CONTEXT), "a streamed message is a byte-array message");
        try (InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), CONTEXT)) {
            assertArrayEquals(plaintext, in.readAllBytes());
        }
        byte[] fromArray = encryptor.encrypt(plaintext, CONTEXT);
        try (InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(fromArray), CONTEXT)) {
            assertArrayEquals(plaintext, in.readAllBytes(), "a byte-array message streams");
        }
    }

    @Test
    void decryptingStream_readByteByByte_returnsPlaintextThenEndOfStream() throws IOException {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] plaintext = Fixtures.bytes(3 * FRAME + 5, 3);
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        try (InputStream in = encryptor.decryptor().decryptingStream(new ByteArrayInputStream(message), CONTEXT)) {
            for (byte b : plaintext) {
                assertEquals(b & 0xFF, in.read());
            }
            assertEquals(-1, in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void encrypt_mapContextInAnyOrder_decryptsWithEqualContext() {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] message = encryptor.encrypt(Fixtures.bytes(100, 1), Map.of("b", "2", "a", "1", "ü", "☃"));
        assertArrayEquals(Fixtures.bytes(100, 1),
                encryptor.decryptor().decrypt(message, Map.of("ü", "☃", "a", "1", "b", "2")));
        assertEquals(Map.of("a", "1", "b", "2", "ü", "☃"), EnvelopeHeader.parse(message).encryptionContext().asMap());
    }

    @Test
    void decrypt_differentContext_invalidCiphertextBeforeAnyKmsCall() {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] message = encryptor.encrypt(Fixtures.bytes(10, 1), CONTEXT);
        EnvelopeDecryptor decryptor = encryptor.decryptor();
        assertThrows(InvalidCiphertextException.class,
                () -> decryptor.decrypt(message, Map.of("tenant", "acme", "purpose", "other")));
        assertThrows(InvalidCiphertextException.class, () -> decryptor.decrypt(message, EncryptionContext.empty()));
        assertThrows(InvalidCiphertextException.class,
                () -> decryptor.decryptingStream(new ByteArrayInputStream(message), Map.of()));
    }

    @Test
    void encrypt_twoBackends_eitherAloneDecryptsAndSaysWhichKeyDid() {
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey)
                .wrappingKey(beta, betaKey).frameLength(FRAME).build();
        byte[] plaintext = Fixtures.bytes(1000, 5);
        byte[] message = encryptor.encrypt(plaintext, CONTEXT);
        assertEquals(List.of(new WrappedKeyInfo("alpha", alphaKey), new WrappedKeyInfo("beta", betaKey)),
                EnvelopeHeader.parse(message).wrappedKeys());

        EnvelopeDecryptor.Decrypted viaAlpha = EnvelopeDecryptor.builder().wrappingKey(alpha, alphaKey).build()
                .decryptDetailed(message, CONTEXT);
        assertArrayEquals(plaintext, viaAlpha.plaintext());
        assertEquals(new WrappedKeyInfo("alpha", alphaKey), viaAlpha.unwrappedBy());

        EnvelopeDecryptor.Decrypted viaBeta = EnvelopeDecryptor.builder().wrappingKey(beta, betaKey).build()
                .decryptDetailed(message, CONTEXT);
        assertArrayEquals(plaintext, viaBeta.plaintext());
        assertEquals(new WrappedKeyInfo("beta", betaKey), viaBeta.unwrappedBy());
    }

    @Test
    void decrypt_firstBackendKeyDisabled_fallsBackToSecond() {
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey)
                .wrappingKey(beta, betaKey).build();
        byte[] message = encryptor.encrypt(Fixtures.bytes(10, 5), CONTEXT);
        alpha.disableKey(alphaKey);
        EnvelopeDecryptor.Decrypted d = encryptor.decryptor().decryptDetailed(message, CONTEXT);
        assertArrayEquals(Fixtures.bytes(10, 5), d.plaintext());
        assertEquals("beta", d.unwrappedBy().providerScheme());
    }

    @Test
    void decrypt_onlyUsableKeyDisabled_throwsTheKmsTypedError() {
        EnvelopeEncryptor encryptor = encryptor();
        byte[] message = encryptor.encrypt(Fixtures.bytes(10, 5), CONTEXT);
        alpha.disableKey(alphaKey);
        assertThrows(io.kms4j.DisabledException.class, () -> encryptor.decryptor().decrypt(message, CONTEXT));
    }

    @Test
    void decrypt_strictWithOtherKey_incorrectKeyWithoutTryingIt() {
        byte[] message = encryptor().encrypt(Fixtures.bytes(10, 5), CONTEXT);
        String otherKey = alpha.createKey().arn();
        EnvelopeDecryptor strictOther = EnvelopeDecryptor.builder().wrappingKey(alpha, otherKey).build();
        assertThrows(IncorrectKeyException.class, () -> strictOther.decrypt(message, CONTEXT));
        EnvelopeDecryptor otherBackend = EnvelopeDecryptor.builder().discovery(beta).build();
        assertThrows(IncorrectKeyException.class, () -> otherBackend.decrypt(message, CONTEXT));
    }

    @Test
    void decrypt_strictByAliasOfTheKey_providerConfirmsAndDecrypts() {
        byte[] message = encryptor().encrypt(Fixtures.bytes(10, 5), CONTEXT);
        alpha.createAlias("alias/orders", alphaKey);
        assertArrayEquals(Fixtures.bytes(10, 5),
                EnvelopeDecryptor.builder().wrappingKey(alpha, "alias/orders").build().decrypt(message, CONTEXT));
        String otherKey = alpha.createKey().keyId();
        alpha.createAlias("alias/other", otherKey);
        assertThrows(IncorrectKeyException.class, () -> EnvelopeDecryptor.builder()
                .wrappingKey(alpha, "alias/other").build().decrypt(message, CONTEXT));
    }

    @Test
    void decrypt_discoveryOfTheRightBackend_decrypts() {
        byte[] message = encryptor().encrypt(Fixtures.bytes(10, 5), CONTEXT);
        EnvelopeDecryptor discovery = EnvelopeDecryptor.builder().discovery(beta).discovery(alpha).build();
        assertArrayEquals(Fixtures.bytes(10, 5), discovery.decrypt(message, CONTEXT));
    }

    @Test
    void decrypt_discoveryOfSameSchemeButAnotherInstance_kmsErrorNotPlaintext() {
        byte[] message = encryptor().encrypt(Fixtures.bytes(10, 5), CONTEXT);
        try (Kms otherAlpha = Fixtures.kms("alpha")) {
            EnvelopeDecryptor discovery = EnvelopeDecryptor.builder().discovery(otherAlpha).build();
            assertThrows(InvalidCiphertextException.class, () -> discovery.decrypt(message, CONTEXT));
        }
    }

    @Test
    void builders_badConfiguration_validationException() {
        assertThrows(ValidationException.class, () -> EnvelopeEncryptor.builder().build());
        assertThrows(ValidationException.class, () -> EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey)
                .frameLength(0).build());
        assertThrows(ValidationException.class, () -> EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey)
                .frameLength((1 << 24) + 1).build());
        assertThrows(ValidationException.class, () -> EnvelopeEncryptor.builder().wrappingKey(alpha, " "));
        assertThrows(ValidationException.class, () -> EnvelopeDecryptor.builder().build());
        assertThrows(ValidationException.class, () -> EnvelopeDecryptor.builder().discovery(alpha)
                .maxWrappedKeys(0).build());
        assertThrows(ValidationException.class, () -> encryptor().encrypt(null, CONTEXT));
        assertThrows(ValidationException.class, () -> encryptor().decryptor().decrypt((byte[]) null, CONTEXT));
    }

    @Test
    void encrypt_unknownWrappingKey_kmsNotFound() {
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, "no-such-key").build();
        assertThrows(io.kms4j.NotFoundException.class, () -> encryptor.encrypt(new byte[1], CONTEXT));
    }

    @Test
    void frames_useTheJdkProvider() {
        assertEquals("SunJCE", FrameCipher.create().providerName());
    }

    @Test
    void encryptingStream_writeAfterClose_ioException() throws IOException {
        OutputStream out = encryptor().encryptingStream(new ByteArrayOutputStream(), CONTEXT);
        out.close();
        out.close(); // idempotent
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void encryptingStream_moreThanDeclaredBound_validationException() throws IOException {
        DataKeyCache cache = DataKeyCache.builder().maxAge(java.time.Duration.ofMinutes(1)).build();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey).dataKeyCache(cache)
                .build();
        OutputStream out = encryptor.encryptingStream(new ByteArrayOutputStream(), CONTEXT, 10);
        out.write(new byte[10]);
        assertThrows(ValidationException.class, () -> out.write(1));
    }

    @Test
    void encryptingStream_withBoundAndCache_reusesCachedDataKey() throws IOException {
        DataKeyCache cache = DataKeyCache.builder().maxAge(java.time.Duration.ofMinutes(1)).build();
        EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(alpha, alphaKey).dataKeyCache(cache)
                .frameLength(FRAME).build();
        byte[] first = encryptor.encrypt(Fixtures.bytes(10, 1), CONTEXT);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = encryptor.encryptingStream(sink, CONTEXT, 300)) {
            out.write(Fixtures.bytes(300, 2));
        }
        EnvelopeHeader a = EnvelopeHeader.parse(first);
        EnvelopeHeader b = EnvelopeHeader.parse(sink.toByteArray());
        assertEquals(0, a.messageNumber());
        assertEquals(1, b.messageNumber(), "the stream took the next message number of the cached data key");
        assertEquals(1, cache.stats().encryptHits());
        assertArrayEquals(Fixtures.bytes(300, 2), encryptor.decryptor().decrypt(sink.toByteArray(), CONTEXT));
        assertTrue(cache.stats().encryptMisses() == 1);
    }
}
