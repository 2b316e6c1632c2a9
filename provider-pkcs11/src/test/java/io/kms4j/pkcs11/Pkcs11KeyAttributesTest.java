package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.CreateKeyRequest;
import io.kms4j.Kms;
import io.kms4j.KeySpec;
import io.kms4j.KeyUsage;
import io.kms4j.NotFoundException;
import io.kms4j.conformance.MutableClock;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.pkcs11.internal.TokenKeyringStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reads the keys kms4j made back from the token with OpenSC's pkcs11-tool, in another process: they are token
 * objects (another process sees them), sensitive, never extractable, and usable only to encrypt and decrypt, or
 * for a signing key pair, only to sign (private key) and verify (public key); a completed deletion leaves none
 * of a pair's objects behind.
 */
class Pkcs11KeyAttributesTest {

    @Test
    void createKeyAndRotate_tokenObjects_sensitiveNeverExtractableEncryptDecryptOnly() {
        String keyId;
        java.nio.file.Path stateDir = TestToken.freshStateDirectory();
        try (Kms kms = Kms.builder().provider(TestToken.builder(stateDir, Clock.systemUTC())
                .build()).auditSink(new InMemoryAuditSink()).build()) {
            keyId = kms.createKey().keyId();
            kms.rotateKeyOnDemand(keyId);
        }
        List<Pkcs11Tool.TokenObject> objects = Pkcs11Tool.secretKeys(TestToken.label());
        for (String label : List.of(Pkcs11KmsProvider.tokenObjectLabel(keyId, 1),
                Pkcs11KmsProvider.tokenObjectLabel(keyId, 2), TestToken.sealKeyLabel(stateDir))) {
            Optional<Pkcs11Tool.TokenObject> found = objects.stream().filter(o -> o.label().equals(label)).findFirst();
            assertTrue(found.isPresent(), label + " is a token object another process can see; listed: "
                    + objects.stream().map(Pkcs11Tool.TokenObject::label).toList());
            Pkcs11Tool.TokenObject key = found.get();
            assertEquals("Secret Key", key.kind());
            assertTrue(key.access().containsAll(Set.of("sensitive", "always sensitive", "never extractable")),
                    label + " access: " + key.access());
            assertFalse(key.access().contains("extractable"), label + " must not be extractable");
            assertFalse(key.valueShown(), "the key value of " + label + " must not be readable");
            assertEquals(Set.of("encrypt", "decrypt"), key.usage(), label + " usage");
        }
        assertTrue(TestToken.sealKeyLabel(stateDir).startsWith(TokenKeyringStore.SEAL_KEY_PREFIX));
    }

    @Test
    void createSigningKeyThenDeletionCompletes_keyPairTokenObjects_privateKeySignsOnlyThenAllObjectsGone() {
        MutableClock clock = new MutableClock();
        try (Kms kms = Kms.builder().provider(TestToken.builder(TestToken.freshStateDirectory(), clock).build())
                .auditSink(new InMemoryAuditSink()).build()) {
            String keyId = kms.createKey(new CreateKeyRequest("attributes", KeyUsage.SIGN_VERIFY,
                    KeySpec.ECC_NIST_P256)).keyId();
            String label = Pkcs11KmsProvider.tokenObjectLabel(keyId, 1);
            String id = HexFormat.of().formatHex(label.getBytes(StandardCharsets.US_ASCII));
            List<Pkcs11Tool.TokenObject> objects = objectsLabelled(label);
            assertEquals(List.of("Certificate", "Private Key", "Public Key"),
                    objects.stream().map(Pkcs11Tool.TokenObject::kind).sorted().toList(), label + ": " + objects);
            assertTrue(objects.stream().allMatch(o -> o.id().equals(id)), "CKA_ID = label on every object");

            Pkcs11Tool.TokenObject privateKey = only(objects, "Private Key");
            assertTrue(privateKey.access().containsAll(Set.of("sensitive", "always sensitive", "never extractable",
                    "local")), "private key access: " + privateKey.access());
            assertFalse(privateKey.access().contains("extractable"), "the private key must not be extractable");
            assertFalse(privateKey.valueShown(), "the private key value must not be readable");
            assertEquals(Set.of("sign"), privateKey.usage(), "private key usage");
            assertEquals(Set.of("verify"), only(objects, "Public Key").usage(), "public key usage");

            kms.scheduleKeyDeletion(keyId, 7);
            clock.advance(Duration.ofDays(7).plusMinutes(1));
            assertThrows(NotFoundException.class, () -> kms.describeKey(keyId));
            assertEquals(List.of(), objectsLabelled(label), "the private key, public key and certificate are "
                    + "destroyed when the deletion window ends");
        }
    }

    private static List<Pkcs11Tool.TokenObject> objectsLabelled(String label) {
        return Pkcs11Tool.allObjects(TestToken.label()).stream().filter(o -> o.label().equals(label)).toList();
    }

    private static Pkcs11Tool.TokenObject only(List<Pkcs11Tool.TokenObject> objects, String kind) {
        List<Pkcs11Tool.TokenObject> found = objects.stream().filter(o -> o.kind().equals(kind)).toList();
        assertEquals(1, found.size(), kind + ": " + objects);
        return found.get(0);
    }
}
