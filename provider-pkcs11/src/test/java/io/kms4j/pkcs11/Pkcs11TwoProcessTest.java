package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.AliasListEntry;
import io.kms4j.DecryptResult;
import io.kms4j.KeyState;
import io.kms4j.Kms;
import io.kms4j.MessageType;
import io.kms4j.SignRequest;
import io.kms4j.SigningAlgorithm;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.spi.support.CiphertextBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two JVM processes on one token and one state directory agree on key metadata: what one creates, disables,
 * rotates or aliases, the other sees at once without reopening, including token keys (and signing key pairs) the
 * other made; and
 * aliases both create at the same time all survive (changes are serialized across processes).
 */
class Pkcs11TwoProcessTest {
    private static final int ALIASES_EACH = 25;

    @Test
    void secondProcess_changesMetadataAndKeys_firstSeesThemWithoutReopening() throws Exception {
        Path stateDir = TestToken.freshStateDirectory();
        try (Kms kms = Kms.builder().provider(TestToken.builder(stateDir, Clock.systemUTC()).build())
                .auditSink(new InMemoryAuditSink()).build()) {
            String key1 = kms.createKey().keyId();
            String key2 = kms.createKey().keyId();
            kms.createAlias("alias/shared", key1);
            byte[] blob = kms.encrypt(key1, "from the parent".getBytes(StandardCharsets.UTF_8),
                    Map.of("from", "parent")).ciphertextBlob();

            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TwoProcessPeer.class.getName(),
                    TestToken.module().toString(), TestToken.label(), stateDir.toString(), key1, key2,
                    Base64.getEncoder().encodeToString(blob), Integer.toString(ALIASES_EACH))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            child.getOutputStream().close();
            // Meanwhile this process changes the same keyring.
            for (int i = 0; i < ALIASES_EACH; i++) {
                kms.createAlias("alias/parent-" + i, key2);
            }
            Map<String, String> seen = readLines(child);
            assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the second process finished");
            assertEquals(0, child.exitValue(), "second process output: " + seen);

            assertEquals(key1, seen.get("alias-target"), "the child saw the parent's alias");
            assertEquals("from the parent", seen.get("plaintext"), "the child decrypted the parent's ciphertext");
            assertEquals(key1, kms.describeKey("alias/from-child").keyId(), "the parent sees the child's alias");
            assertEquals(KeyState.DISABLED, kms.describeKey(key2).keyState(), "and the key it disabled");
            assertEquals(1, kms.listKeyRotations(key1).size(), "and its rotation");
            assertEquals(KeyState.ENABLED, kms.describeKey(seen.get("child-key")).keyState(), "and its new key");
            byte[] childBlob = Base64.getDecoder().decode(seen.get("child-blob"));
            assertEquals(2, CiphertextBlob.parse(childBlob).keyVersion());
            try (DecryptResult r = kms.decrypt(childBlob)) {
                assertArrayEquals("from the child".getBytes(StandardCharsets.UTF_8), r.plaintext(),
                        "the parent uses the token key version the child made");
            }
            String signingKey = seen.get("child-signing-key");
            byte[] signed = "signed by the child".getBytes(StandardCharsets.UTF_8);
            assertTrue(kms.verify(SignRequest.builder().keyId(signingKey).message(signed).messageType(MessageType.RAW)
                    .signature(Base64.getDecoder().decode(seen.get("child-signature")))
                    .signingAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build()).signatureValid(),
                    "the parent finds the key pair the child made on the token and verifies its signature");
            byte[] parentSignature = kms.sign(SignRequest.builder().keyId(signingKey).message(signed)
                    .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build()).signature();
            assertTrue(kms.verify(SignRequest.builder().keyId(signingKey).message(signed).messageType(MessageType.RAW)
                    .signature(parentSignature).signingAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build())
                    .signatureValid(), "and signs with its private key");
            byte[] parentAfter = kms.encrypt(key1, new byte[] {1}).ciphertextBlob();
            assertEquals(2, CiphertextBlob.parse(parentAfter).keyVersion(), "the parent encrypts with the new version");

            Set<String> aliases = kms.listAliases(null, 1000, null).items().stream().map(AliasListEntry::aliasName)
                    .collect(Collectors.toSet());
            for (int i = 0; i < ALIASES_EACH; i++) {
                assertTrue(aliases.contains("alias/parent-" + i), "parent alias " + i + " survived");
                assertTrue(aliases.contains("alias/child-" + i), "child alias " + i + " survived");
            }
        }
    }

    private static Map<String, String> readLines(Process child) throws IOException {
        Map<String, String> values = new HashMap<>();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String line : List.of(out.split("\n"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
