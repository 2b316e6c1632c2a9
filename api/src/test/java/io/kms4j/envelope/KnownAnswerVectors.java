package io.kms4j.envelope;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.FrameCipher;
import io.kms4j.envelope.internal.KeyDerivation;
import io.kms4j.envelope.internal.MessageCodec;
import io.kms4j.envelope.internal.MessageFormat;
import io.kms4j.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The envelope format's known-answer vectors: how they are made, and what each holds.
 *
 * <p>Everything is fixed: the wrapping keys' material is imported, the test provider's generator is seeded, and
 * the format itself uses no randomness (IVs are derived from the message number and frame index). So
 * {@link #generate()} reproduces the checked-in file byte for byte, and any change to the format shows up as a
 * difference. To regenerate after a deliberate format change (a new version!):
 * {@code java -cp api/target/classes:api/target/test-classes io.kms4j.envelope.KnownAnswerVectors <file>}.
 */
final class KnownAnswerVectors {
    static final String RESOURCE = "/envelope/known-answer-vectors.json";
    private static final HexFormat HEX = HexFormat.of();

    private KnownAnswerVectors() {
    }

    /** One wrapping key of a vector: its provider's scheme, short key id and key material. */
    record Kek(String scheme, String keyId, byte[] material) {
        String arn() {
            return scheme + ":key/" + keyId;
        }
    }

    /** One vector. */
    record Vector(String name, List<Kek> keks, byte[] dataKey, Map<String, String> context, long messageNumber,
                  int frameLength, byte[] plaintext, List<MessageFormat.WrappedKey> wrappedKeys, byte[] headerHash,
                  byte[] contentKey, byte[] commitment, byte[] message) {
    }

    private record Spec(String name, List<Kek> keks, Map<String, String> context, long messageNumber,
                        int frameLength, int plaintextLength) {
    }

    private static List<Spec> specs() {
        Kek alpha = new Kek("alpha", "11111111-2222-3333-4444-555555555555", bytes(32, "kek alpha"));
        Kek beta = new Kek("beta", "66666666-7777-8888-9999-000000000000", bytes(32, "kek beta"));
        Map<String, String> context = new LinkedHashMap<>();
        context.put("tenant", "acme");
        context.put("purpose", "known-answer");
        Map<String, String> unicode = new LinkedHashMap<>();
        unicode.put("ü", "☃");
        unicode.put("a", "");
        return List.of(
                new Spec("empty plaintext, empty context", List.of(alpha), Map.of(), 0, 4096, 0),
                new Spec("one byte", List.of(alpha), context, 0, 4096, 1),
                new Spec("three regular frames and a short final frame", List.of(alpha), context, 7, 32, 100),
                new Spec("length a multiple of the frame length: full final frame", List.of(alpha), context, 1, 32,
                        64),
                new Spec("two wrapping keys on two backends, last message number", List.of(alpha, beta), unicode,
                        0xFFFF_FFFFL, 128, 300));
    }

    /** Makes the vectors from scratch. */
    static List<Vector> generate() {
        List<Vector> vectors = new ArrayList<>();
        for (Spec spec : specs()) {
            EncryptionContext context = EncryptionContext.of(spec.context());
            byte[] dataKey = bytes(32, "data key: " + spec.name());
            byte[] plaintext = bytes(spec.plaintextLength(), "plaintext: " + spec.name());
            List<MessageFormat.WrappedKey> wrapped = new ArrayList<>();
            for (Kek kek : spec.keks()) {
                try (Kms kms = kmsFor(kek, "wrap: " + spec.name())) {
                    byte[] blob = kms.encrypt(kek.arn(), dataKey, spec.context()).ciphertextBlob();
                    wrapped.add(new MessageFormat.WrappedKey(kek.scheme(), kek.arn(), blob));
                }
            }
            byte[] before = MessageFormat.headerBeforeCommitment(1, spec.frameLength(), context, wrapped);
            KeyDerivation.Derived derived = KeyDerivation.derive(dataKey, before, before.length);
            CachedDataKey entry = CachedDataKey.fromDataKey(dataKey, 1, spec.frameLength(), context, wrapped,
                    wrapped.get(0).info(), 0, Long.MAX_VALUE, 1, Long.MAX_VALUE, 0);
            byte[] message = MessageCodec.seal(entry, spec.messageNumber(), plaintext, FrameCipher.create());
            vectors.add(new Vector(spec.name(), spec.keks(), dataKey, spec.context(), spec.messageNumber(),
                    spec.frameLength(), plaintext, wrapped, KeyDerivation.sha256(before, before.length),
                    derived.contentKey(), derived.commitment(), message));
        }
        return vectors;
    }

    /** A Kms holding one imported key, its generator seeded so wrapping is reproducible. */
    static Kms kmsFor(Kek kek, String seed) {
        TestKeyringProvider provider = TestKeyringProvider.deterministic(kek.scheme(), seed);
        provider.importKey(kek.keyId(), kek.material());
        return Fixtures.kms(provider);
    }

    /** The vectors as the JSON file holds them: one vector per line, for readable diffs. */
    static String toJson(List<Vector> vectors) {
        StringBuilder out = new StringBuilder("{\"description\":\"kms4j envelope message format v1 known-answer "
                + "vectors; see docs/FORMATS.md\",\n\"vectors\":[\n");
        for (int i = 0; i < vectors.size(); i++) {
            Vector v = vectors.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            List<Object> keks = new ArrayList<>();
            for (Kek k : v.keks()) {
                Map<String, Object> kek = new LinkedHashMap<>();
                kek.put("scheme", k.scheme());
                kek.put("keyId", k.keyId());
                kek.put("material", HEX.formatHex(k.material()));
                keks.add(kek);
            }
            m.put("wrappingKeys", keks);
            m.put("dataKey", HEX.formatHex(v.dataKey()));
            m.put("encryptionContext", new java.util.TreeMap<>(v.context()));
            m.put("messageNumber", v.messageNumber());
            m.put("frameLength", v.frameLength());
            m.put("plaintext", HEX.formatHex(v.plaintext()));
            List<Object> wrapped = new ArrayList<>();
            for (MessageFormat.WrappedKey w : v.wrappedKeys()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("scheme", w.scheme());
                e.put("keyId", w.keyId());
                e.put("blob", HEX.formatHex(w.blob()));
                wrapped.add(e);
            }
            m.put("wrappedDataKeys", wrapped);
            m.put("headerHash", HEX.formatHex(v.headerHash()));
            m.put("contentKey", HEX.formatHex(v.contentKey()));
            m.put("commitment", HEX.formatHex(v.commitment()));
            m.put("message", HEX.formatHex(v.message()));
            out.append(Json.write(m)).append(i + 1 < vectors.size() ? ",\n" : "\n");
        }
        return out.append("]}\n").toString();
    }

    /** Deterministic bytes from a label (SHA-256 in counter mode). */
    static byte[] bytes(int length, String label) {
        byte[] out = new byte[length];
        new TestKeyringProvider.DeterministicRandom(label).nextBytes(out);
        return out;
    }

    /** Writes the vector file. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "api/src/test/resources" + RESOURCE);
        Files.writeString(target, toJson(generate()), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
    }
}
