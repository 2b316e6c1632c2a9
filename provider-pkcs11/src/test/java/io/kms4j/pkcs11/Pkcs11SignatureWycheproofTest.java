package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kms4j.SigningAlgorithm;
import io.kms4j.conformance.WycheproofAeadVectors;
import io.kms4j.internal.Json;
import io.kms4j.pkcs11.internal.TokenConnection;
import io.kms4j.pkcs11.internal.TokenSlotResolver;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs Wycheproof's signature vectors in verify mode through the kms4j PKCS#11 verification path on the real
 * SoftHSM2 token: each group's public key is loaded onto the token (SunPKCS11 makes it a session object) and
 * every case is verified there, exactly as {@code Verify} does for kms4j's own keys. "valid" cases must verify,
 * "invalid" ones must not, "acceptable" ones may go either way and are counted. The folder has no RSASSA-PSS
 * vectors, so PSS is covered by the conformance suite's cross-checks with plain JCA only.
 *
 * <p>For ECDSA the test also counts how many invalid cases SunPKCS11's own DER decoding ({@code SHA256withECDSA}
 * on the token, without kms4j's strict parse) would have accepted: the reason kms4j parses DER itself.
 */
class Pkcs11SignatureWycheproofTest {
    private static TokenConnection token;

    @BeforeAll
    static void openToken() {
        String module = TestToken.module().toString();
        char[] pin = TestToken.pin();
        try {
            token = TokenConnection.open(module, TokenSlotResolver.resolve(module, TestToken.label()),
                    TestToken.label(), pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    @AfterAll
    static void releaseToken() {
        token.release();
    }

    @Test
    void ecdsaP256Sha256_everyWycheproofCase_verifiesOnTheTokenAsExpected() throws Exception {
        Counts counts = run("ecdsa_secp256r1_sha256_test.json", "EC", SigningAlgorithm.ECDSA_SHA_256);
        assertTrue(counts.ran() >= 480, "the whole file ran");
        System.out.printf("  (SunPKCS11's own DER decoding on the token would have accepted %d of the %d invalid "
                + "cases %s; kms4j's strict parse refuses them before the token is asked)%n",
                counts.invalidAcceptedByLenientPath, counts.invalid, counts.lenientlyAccepted);
    }

    @Test
    void rsaPkcs1Sha256_2048_everyWycheproofCase_verifiesOnTheTokenAsExpected() throws Exception {
        Counts counts = run("rsa_signature_2048_sha256_test.json", "RSA", SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256);
        assertTrue(counts.ran() >= 250, "the whole file ran");
    }

    /** How a file's cases came out. */
    private static final class Counts {
        int total;
        int valid;
        int invalid;
        int acceptableAccepted;
        int acceptableRejected;
        int invalidAcceptedByLenientPath;
        final List<String> lenientlyAccepted = new java.util.ArrayList<>();

        int ran() {
            return valid + invalid + acceptableAccepted + acceptableRejected;
        }
    }

    private Counts run(String file, String keyAlgorithm, SigningAlgorithm algorithm) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(
                WycheproofAeadVectors.directory().resolve("wycheproof").resolve(file)));
        Counts counts = new Counts();
        HexFormat hex = HexFormat.of();
        for (Object groupObject : (List<?>) root.get("testGroups")) {
            Map<?, ?> group = (Map<?, ?>) groupObject;
            assertEquals(algorithm.digestAlgorithm(), group.get("sha"), file + " hash");
            PublicKey publicKey = KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new X509EncodedKeySpec(hex.parseHex((String) group.get("publicKeyDer"))));
            for (Object caseObject : (List<?>) group.get("tests")) {
                Map<?, ?> c = (Map<?, ?>) caseObject;
                counts.total++;
                byte[] message = hex.parseHex((String) c.get("msg"));
                byte[] signature = hex.parseHex((String) c.get("sig"));
                byte[] digest = MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(message);
                boolean accepted = token.verifyDigest(publicKey, algorithm, digest, signature);
                String result = (String) c.get("result");
                String what = file + " tcId " + c.get("tcId") + " (" + c.get("comment") + ", " + result + ")";
                switch (result) {
                    case "valid":
                        if (!accepted) {
                            fail("valid signature rejected on the token: " + what);
                        }
                        counts.valid++;
                        break;
                    case "invalid":
                        if (accepted) {
                            fail("invalid signature accepted on the token: " + what);
                        }
                        counts.invalid++;
                        if (algorithm.family() == SigningAlgorithm.Family.ECDSA
                                && lenientTokenPathAccepts(publicKey, message, signature)) {
                            counts.invalidAcceptedByLenientPath++;
                            counts.lenientlyAccepted.add("tcId " + c.get("tcId") + " " + c.get("comment"));
                        }
                        break;
                    case "acceptable":
                        if (accepted) {
                            counts.acceptableAccepted++;
                        } else {
                            counts.acceptableRejected++;
                        }
                        break;
                    default:
                        fail("unknown result in " + what);
                }
            }
        }
        System.out.printf("Wycheproof %s on the SoftHSM2 token (%s): ran %d of %d cases, passed %d (valid %d, "
                        + "invalid %d, acceptable %d accepted / %d rejected), skipped 0%n", file, algorithm,
                counts.ran(), counts.total, counts.ran(), counts.valid, counts.invalid, counts.acceptableAccepted,
                counts.acceptableRejected);
        assertEquals(counts.total, counts.ran());
        assertEquals(((Number) root.get("numberOfTests")).intValue(), counts.total, file + " numberOfTests");
        return counts;
    }

    /** SunPKCS11 alone: SHA256withECDSA on the token, parsing the DER signature itself. */
    private static boolean lenientTokenPathAccepts(PublicKey publicKey, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA", token.provider());
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
