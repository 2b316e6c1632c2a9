package io.kms4j.tink;

import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import io.kms4j.pkcs11.Pkcs11KmsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Tink bridge contract over the PKCS#11 provider on a real SoftHSM2 token (made by the POM before the test
 * JVM starts): Tink's envelope AEAD and encrypted keysets with the key-encryption key on an HSM.
 */
class Pkcs11TinkBridgeTest extends TinkBridgeContractTests {
    @Override
    protected Kms newKms(AuditSink auditSink) {
        String pin = System.getenv("KMS4J_TEST_PKCS11_PIN");
        if (pin == null) {
            throw new IllegalStateException("KMS4J_TEST_PKCS11_PIN is not set: run the tests through Maven");
        }
        try {
            Path state = Files.createTempDirectory(Files.createDirectories(
                    Path.of(System.getProperty("kms4j.test.pkcs11.dir"), "state")), "tink-");
            Pkcs11KmsProvider provider = Pkcs11KmsProvider.builder()
                    .modulePath(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
                    .tokenLabel(System.getProperty("kms4j.test.pkcs11.token"))
                    .pin(pin.toCharArray()).stateDirectory(state).build();
            return Kms.builder().provider(provider).auditSink(auditSink).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
