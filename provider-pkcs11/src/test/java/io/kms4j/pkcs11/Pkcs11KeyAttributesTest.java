package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.pkcs11.internal.TokenKeyringStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reads the keys kms4j made back from the token with OpenSC's pkcs11-tool, in another process: they are token
 * objects (another process sees them), sensitive, never extractable, and usable only to encrypt and decrypt.
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
}
