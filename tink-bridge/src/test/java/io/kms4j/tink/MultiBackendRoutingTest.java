package io.kms4j.tink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.LocalKmsProvider;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One client over two backends, the local provider and the AWS provider (against the kms4j server on 127.0.0.1):
 * each key URI reaches the backend its scheme names, and the audit event lands in that backend's trail only.
 */
class MultiBackendRoutingTest {
    private static final String AWS_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-0000000000aa";

    private static Kms4jServerFixture server;

    private final InMemoryAuditSink localAudit = new InMemoryAuditSink();
    private final InMemoryAuditSink awsAudit = new InMemoryAuditSink();
    private Kms local;
    private Kms aws;
    private Kms4jKmsClient client;

    @BeforeAll
    static void startServer() throws GeneralSecurityException {
        AeadConfig.register();
        server = Kms4jServerFixture.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        local = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(localAudit).build();
        aws = server.newAwsKms(awsAudit);
        client = Kms4jKmsClient.builder().add(local).add(aws).build();
    }

    @AfterEach
    void close() {
        local.close();
        aws.close();
    }

    @Test
    void doesSupport_eachBackendsScheme_trueAndSchemelessAmbiguous() {
        assertTrue(client.doesSupport("kms4j:local:key/00000000-0000-4000-8000-000000000000"));
        assertTrue(client.doesSupport("kms4j:" + AWS_KEY_ARN));
        assertTrue(client.doesSupport("kms4j:arn:aws:kms:us-east-1:111122223333:alias/orders"));
        assertFalse(client.doesSupport("kms4j:pkcs11:token=kms4j;object=00000000-0000-4000-8000-000000000000"));
        assertFalse(client.doesSupport("kms4j:00000000-0000-4000-8000-000000000000"));
        assertFalse(client.doesSupport("kms4j:alias/orders"));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> client.getAead("kms4j:alias/orders"));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        assertEquals("Kms4jKmsClient[schemes=[local, arn]]", client.toString());
    }

    @Test
    void localKeyUri_reachesTheLocalBackendOnly() throws GeneralSecurityException {
        String keyUri = Kms4jKmsClient.keyUri(local.createKey().arn());
        localAudit.clear();
        Aead envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, client.getAead(keyUri));
        byte[] ciphertext = envelope.encrypt("routed".getBytes(UTF_8), new byte[0]);
        assertArrayEquals("routed".getBytes(UTF_8), envelope.decrypt(ciphertext, new byte[0]));
        assertEquals(2, localAudit.size());
        assertEquals("kms4j-local", localAudit.last().eventSource());
        assertEquals(0, awsAudit.size());
    }

    @Test
    void arnKeyUri_reachesTheAwsBackendOnly() throws GeneralSecurityException {
        localAudit.clear();
        Aead kek = client.getAead("kms4j:" + AWS_KEY_ARN);
        // The server behind the AWS provider has no key of that ARN: the call went there, and says so.
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> kek.encrypt(new byte[] {1}, null));
        assertEquals("NotFoundException", ((KmsException) e.getCause()).awsErrorCode());
        assertEquals(1, awsAudit.size());
        assertEquals("kms.amazonaws.com", awsAudit.last().eventSource());
        assertEquals(AWS_KEY_ARN, awsAudit.last().requestParameters().get("keyId"));
        assertEquals(0, localAudit.size());
    }
}
