package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.FrameCipher;
import io.kms4j.envelope.internal.KeyDerivation;
import io.kms4j.envelope.internal.MessageCodec;
import io.kms4j.envelope.internal.MessageFormat;
import io.kms4j.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked-in known-answer vectors pin the envelope format: the current code must reproduce every message
 * byte for byte from the vector's inputs, and the public decryptor must turn every message back into its
 * plaintext with nothing but the wrapping keys' material.
 */
class KnownAnswerVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> vectors() throws IOException {
        try (InputStream in = KnownAnswerVectorsTest.class.getResourceAsStream(KnownAnswerVectors.RESOURCE)) {
            Map<String, Object> file = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) (List<?>) file.get("vectors");
        }
    }

    private static byte[] hex(Map<String, Object> m, String field) {
        return HEX.parseHex((String) m.get(field));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> context(Map<String, Object> v) {
        return (Map<String, String>) (Map<?, ?>) v.get("encryptionContext");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> v, String field) {
        return (List<Map<String, Object>>) (List<?>) v.get(field);
    }

    @Test
    void vectorFile_regeneratedFromScratch_identical() throws IOException {
        try (InputStream in = KnownAnswerVectorsTest.class.getResourceAsStream(KnownAnswerVectors.RESOURCE)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    KnownAnswerVectors.toJson(KnownAnswerVectors.generate()),
                    "the envelope format (or the test provider's wrapped blobs) changed; a format change needs a new "
                            + "format version, not regenerated vectors");
        }
    }

    @Test
    void vectors_sealedFromTheirInputs_byteForByte() throws IOException {
        List<Map<String, Object>> vectors = vectors();
        assertEquals(5, vectors.size());
        for (Map<String, Object> v : vectors) {
            EncryptionContext context = EncryptionContext.of(context(v));
            byte[] dataKey = hex(v, "dataKey");
            List<MessageFormat.WrappedKey> wrapped = new ArrayList<>();
            for (Map<String, Object> w : list(v, "wrappedDataKeys")) {
                wrapped.add(new MessageFormat.WrappedKey((String) w.get("scheme"), (String) w.get("keyId"),
                        hex(w, "blob")));
            }
            int frameLength = ((Number) v.get("frameLength")).intValue();
            byte[] before = MessageFormat.headerBeforeCommitment(1, frameLength, context, wrapped);
            assertArrayEquals(hex(v, "headerHash"), KeyDerivation.sha256(before, before.length), (String) v.get("name"));
            KeyDerivation.Derived derived = KeyDerivation.derive(dataKey, before, before.length);
            assertArrayEquals(hex(v, "contentKey"), derived.contentKey());
            assertArrayEquals(hex(v, "commitment"), derived.commitment());
            CachedDataKey entry = CachedDataKey.fromDataKey(dataKey, 1, frameLength, context, wrapped,
                    wrapped.get(0).info(), 0, Long.MAX_VALUE, 1, Long.MAX_VALUE, 0);
            byte[] message = MessageCodec.seal(entry, ((Number) v.get("messageNumber")).longValue(),
                    hex(v, "plaintext"), FrameCipher.create());
            assertArrayEquals(hex(v, "message"), message, (String) v.get("name"));
        }
    }

    @Test
    void vectors_publicDecryptorWithImportedKeys_returnsPlaintextByEveryWrappingKey() throws IOException {
        for (Map<String, Object> v : vectors()) {
            byte[] message = hex(v, "message");
            byte[] plaintext = hex(v, "plaintext");
            EncryptionContext context = EncryptionContext.of(context(v));
            EnvelopeHeader header = EnvelopeHeader.parse(message);
            assertEquals(context, header.encryptionContext());
            assertEquals(((Number) v.get("messageNumber")).longValue(), header.messageNumber());
            assertEquals(((Number) v.get("frameLength")).intValue(), header.frameLength());
            for (Map<String, Object> k : list(v, "wrappingKeys")) {
                KnownAnswerVectors.Kek kek = new KnownAnswerVectors.Kek((String) k.get("scheme"),
                        (String) k.get("keyId"), hex(k, "material"));
                try (Kms kms = KnownAnswerVectors.kmsFor(kek, "decrypt")) {
                    EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().wrappingKey(kms, kek.arn()).build();
                    EnvelopeDecryptor.Decrypted d = decryptor.decryptDetailed(message, context);
                    assertArrayEquals(plaintext, d.plaintext(), (String) v.get("name"));
                    assertEquals(kek.arn(), d.unwrappedBy().keyId());
                    try (InputStream in = decryptor.decryptingStream(new ByteArrayInputStream(message), context)) {
                        assertArrayEquals(plaintext, in.readAllBytes());
                    }
                }
            }
        }
    }

    @Test
    void vectors_coverFramingEdgeCases() throws IOException {
        Map<String, Integer> finalFrameLengths = new LinkedHashMap<>();
        for (Map<String, Object> v : vectors()) {
            byte[] message = hex(v, "message");
            int plaintextLength = hex(v, "plaintext").length;
            int frame = ((Number) v.get("frameLength")).intValue();
            long regular = MessageFormat.regularFrames(plaintextLength, frame);
            finalFrameLengths.put((String) v.get("name"), (int) (plaintextLength - regular * frame));
            assertEquals(EnvelopeHeader.parse(message).length() + MessageFormat.bodyLength(plaintextLength, frame),
                    message.length);
        }
        assertTrue(finalFrameLengths.containsValue(0), "an empty final frame");
        assertTrue(finalFrameLengths.containsValue(32), "a full final frame");
        assertTrue(finalFrameLengths.containsValue(4), "a short final frame after regular frames");
    }
}
