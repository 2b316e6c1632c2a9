package io.kms4j.tink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.KdfParameters;
import io.kms4j.local.LocalKmsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge over a local keystore file, across a restart: what Tink wrote under a kms4j key (an encrypted keyset
 * file, envelope ciphertexts) is read back by a new process-like {@link Kms} that opens the same keystore.
 */
class LocalKeystoreTinkBridgeTest {
    private static final byte[] KEYSET_AD = "keyset for orders".getBytes(UTF_8);
    private static final byte[] RECORD_AD = "orders/42".getBytes(UTF_8);

    @TempDir
    Path dir;

    private Kms openKeystore(InMemoryAuditSink audit) {
        LocalKmsProvider provider = LocalKmsProvider.builder().keystore(dir.resolve("keystore.k4j"))
                .passphrase("correct horse battery staple".toCharArray())
                .kdfParameters(KdfParameters.FOR_TESTS).build();
        return Kms.builder().provider(provider).auditSink(audit).build();
    }

    @BeforeAll
    static void registerTinkAead() throws GeneralSecurityException {
        AeadConfig.register(); // Tink 1.20 generates keyset keys only after this
    }

    @Test
    void keystoreKey_afterRestart_encryptedKeysetAndEnvelopesStillDecrypt() throws Exception {
        Path keysetFile = dir.resolve("orders.keyset");
        String keyUri;
        byte[] record;
        byte[] envelopeCiphertext;
        try (Kms kms = openKeystore(new InMemoryAuditSink())) {
            keyUri = Kms4jKmsClient.keyUri(kms.createKey().arn());
            Kms4jKmsClient client = Kms4jKmsClient.of(kms);
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            record = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class)
                    .encrypt("a customer record".getBytes(UTF_8), RECORD_AD);
            Files.write(keysetFile, TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset,
                    client.getAead(keyUri), KEYSET_AD));
            envelopeCiphertext = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, client.getAead(keyUri))
                    .encrypt("an envelope".getBytes(UTF_8), RECORD_AD);
        }

        InMemoryAuditSink audit = new InMemoryAuditSink();
        try (Kms kms = openKeystore(audit)) {
            Kms4jKmsClient client = Kms4jKmsClient.of(kms);
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(keysetFile),
                    client.getAead(keyUri), KEYSET_AD);
            assertArrayEquals("a customer record".getBytes(UTF_8),
                    keyset.getPrimitive(RegistryConfiguration.get(), Aead.class).decrypt(record, RECORD_AD));
            assertArrayEquals("an envelope".getBytes(UTF_8),
                    KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, client.getAead(keyUri))
                            .decrypt(envelopeCiphertext, RECORD_AD));
            assertEquals(List.of("Decrypt", "Decrypt"), audit.events().stream().map(AuditEvent::eventName).toList());
        }
    }
}
