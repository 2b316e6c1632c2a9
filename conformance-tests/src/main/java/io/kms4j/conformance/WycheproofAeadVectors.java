package io.kms4j.conformance;

import io.kms4j.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads Project Wycheproof AEAD vectors ({@code aead_test_schema_v1.json}, for example
 * {@code aes_gcm_test.json}) from the shared test-vector directory.
 *
 * <p>The directory is the system property {@code kms4j.testvectors} (the build sets it to
 * {@code ../shared/testvectors} relative to the repository root).
 *
 * <p>Thread safety: immutable.
 */
public final class WycheproofAeadVectors {
    private WycheproofAeadVectors() {
    }

    /**
     * One test case.
     *
     * @param tcId the vector's id
     * @param comment what it tests
     * @param flags its notes
     * @param result {@code valid}, {@code invalid} or {@code acceptable}
     */
    public record Case(int tcId, String comment, List<String> flags, byte[] key, byte[] iv, byte[] aad, byte[] msg,
                       byte[] ct, byte[] tag, int tagSizeBits, String result) {
        /** The ciphertext followed by the tag, as JCA's AES-GCM takes it. */
        public byte[] ciphertextAndTag() {
            byte[] out = new byte[ct.length + tag.length];
            System.arraycopy(ct, 0, out, 0, ct.length);
            System.arraycopy(tag, 0, out, ct.length, tag.length);
            return out;
        }

        @Override
        public String toString() {
            return "tcId " + tcId + " (" + result + ", " + comment + ")";
        }
    }

    /**
     * The vector directory: the system property {@code kms4j.testvectors} (the build sets it to
     * {@code ../shared/testvectors} beside the repository), else {@code /work/shared/testvectors}, where this
     * project's machines keep the shared copy.
     *
     * @throws IllegalStateException when neither exists, so a run without vectors fails instead of passing
     */
    public static Path directory() {
        for (String candidate : new String[] {System.getProperty("kms4j.testvectors"), "/work/shared/testvectors"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate, "wycheproof"))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("no test vectors found: set -Dkms4j.testvectors to the directory holding "
                + "wycheproof/ (the shared testvectors folder beside the repository)");
    }

    /**
     * Loads every case of a vector file under {@code wycheproof/}.
     *
     * @throws IOException when the file is missing or unreadable
     */
    @SuppressWarnings("unchecked")
    public static List<Case> load(String fileName) throws IOException {
        Path file = directory().resolve("wycheproof").resolve(fileName);
        Map<String, Object> root = Json.parseObject(Files.readString(file));
        HexFormat hex = HexFormat.of();
        List<Case> cases = new ArrayList<>();
        for (Object g : (List<Object>) root.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            int tagSize = ((Number) group.get("tagSize")).intValue();
            for (Object t : (List<Object>) group.get("tests")) {
                Map<String, Object> test = (Map<String, Object>) t;
                cases.add(new Case(((Number) test.get("tcId")).intValue(), (String) test.get("comment"),
                        (List<String>) (List<?>) test.get("flags"),
                        hex.parseHex((String) test.get("key")), hex.parseHex((String) test.get("iv")),
                        hex.parseHex((String) test.get("aad")), hex.parseHex((String) test.get("msg")),
                        hex.parseHex((String) test.get("ct")), hex.parseHex((String) test.get("tag")),
                        tagSize, (String) test.get("result")));
            }
        }
        int declared = ((Number) root.get("numberOfTests")).intValue();
        if (declared != cases.size()) {
            throw new IOException(file + " declares " + declared + " tests but holds " + cases.size());
        }
        return cases;
    }
}
