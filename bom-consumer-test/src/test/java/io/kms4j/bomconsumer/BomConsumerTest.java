package io.kms4j.bomconsumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.tink.Kms4jKmsClient;
import org.junit.jupiter.api.Test;

/** The kms4j artifacts this build got through kms4j-bom work together, as an application would use them. */
class BomConsumerTest {
    @Test
    void artifactsFromTheBom_workTogether_tinkEnvelopeOverKms4jRoundTrips() throws Exception {
        AeadConfig.register(); // what a Tink application does once at startup
        InMemoryAuditSink audit = new InMemoryAuditSink();
        try (Kms kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build()) {
            String keyUri = Kms4jKmsClient.keyUri(kms.createKey().arn());
            Aead envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM,
                    Kms4jKmsClient.of(kms).getAead(keyUri));
            byte[] ciphertext = envelope.encrypt("from a BOM consumer".getBytes(UTF_8), new byte[0]);
            assertArrayEquals("from a BOM consumer".getBytes(UTF_8), envelope.decrypt(ciphertext, new byte[0]));
            assertEquals(3, audit.size(), "CreateKey, Encrypt, Decrypt");
        }
    }
}
