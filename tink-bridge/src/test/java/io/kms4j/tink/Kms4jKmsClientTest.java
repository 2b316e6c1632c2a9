package io.kms4j.tink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.ValidationException;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.LocalKmsProvider;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which key URIs the client serves, and how it refuses the rest; the local provider as the backend. */
class Kms4jKmsClientTest {
    private InMemoryAuditSink audit;
    private Kms kms;
    private Kms4jKmsClient client;
    private String keyUri;

    @BeforeEach
    void open() {
        audit = new InMemoryAuditSink();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build();
        client = Kms4jKmsClient.of(kms);
        keyUri = Kms4jKmsClient.keyUri(kms.createKey().arn());
    }

    @AfterEach
    void close() {
        kms.close();
    }

    @Test
    void keyUri_keyArn_prefixesKms4j() {
        String arn = kms.listAllKeys().get(0).keyArn();
        assertEquals("kms4j:" + arn, Kms4jKmsClient.keyUri(arn));
    }

    @Test
    void keyUri_malformedIdentifier_validationException() {
        assertThrows(ValidationException.class, () -> Kms4jKmsClient.keyUri(null));
        assertThrows(ValidationException.class, () -> Kms4jKmsClient.keyUri(""));
        assertThrows(ValidationException.class, () -> Kms4jKmsClient.keyUri(" local:key/x"));
        assertThrows(ValidationException.class, () -> Kms4jKmsClient.keyUri("alias/"));
    }

    @Test
    void doesSupport_ownBackendsUrisAndSchemelessReferences_true() {
        assertTrue(client.doesSupport(keyUri));
        assertTrue(client.doesSupport("kms4j:local:key/00000000-0000-4000-8000-000000000000"));
        assertTrue(client.doesSupport("kms4j:local:alias/orders"));
        // One backend: a bare key id or alias name is unambiguous.
        assertTrue(client.doesSupport("kms4j:00000000-0000-4000-8000-000000000000"));
        assertTrue(client.doesSupport("kms4j:alias/orders"));
    }

    @Test
    void doesSupport_otherKmsOrMalformed_false() {
        assertFalse(client.doesSupport(null));
        assertFalse(client.doesSupport(""));
        assertFalse(client.doesSupport("kms4j:"));
        assertFalse(client.doesSupport("kms4j: local:key/x"));
        assertFalse(client.doesSupport("KMS4J:" + keyUri.substring(6)));
        assertFalse(client.doesSupport("aws-kms://arn:aws:kms:us-east-1:111122223333:key/abc"));
        assertFalse(client.doesSupport("gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k"));
        // Schemes with no backend in this client.
        assertFalse(client.doesSupport("kms4j:pkcs11:token=kms4j;object=00000000-0000-4000-8000-000000000000"));
        assertFalse(client.doesSupport("kms4j:arn:aws:kms:us-east-1:111122223333:key/abc"));
        assertFalse(client.doesSupport("kms4j:alias/"));
    }

    @Test
    void getAead_unsupportedUri_generalSecurityExceptionSayingWhy() {
        int eventsBefore = audit.size();
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> client.getAead("kms4j:pkcs11:token=kms4j;object=abc"));
        assertTrue(e.getMessage().contains("'pkcs11:'"), e.getMessage());
        e = assertThrows(GeneralSecurityException.class, () -> client.getAead("aws-kms://arn:aws:kms:x"));
        assertTrue(e.getMessage().contains("not a kms4j key URI"), e.getMessage());
        e = assertThrows(GeneralSecurityException.class, () -> client.getAead("kms4j:"));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        assertEquals(eventsBefore, audit.size(), "refusing a URI calls no backend");
    }

    @Test
    void boundTo_servesOnlyThatUri() throws GeneralSecurityException {
        String otherUri = Kms4jKmsClient.keyUri(kms.createKey().arn());
        Kms4jKmsClient bound = client.boundTo(keyUri);
        assertTrue(bound.doesSupport(keyUri));
        assertFalse(bound.doesSupport(otherUri));
        assertTrue(client.doesSupport(otherUri), "binding makes a new client");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> bound.getAead(otherUri));
        assertTrue(e.getMessage().contains("bound to " + keyUri), e.getMessage());
        bound.getAead(keyUri).encrypt(new byte[] {1}, null);
    }

    @Test
    void boundTo_unsupportedUri_validationException() {
        assertThrows(ValidationException.class, () -> client.boundTo("kms4j:pkcs11:token=a;object=b"));
        assertThrows(ValidationException.class, () -> client.boundTo(null));
    }

    @Test
    void withDefaultCredentials_sameClient() throws GeneralSecurityException {
        assertSame(client, client.withDefaultCredentials());
    }

    @Test
    void withCredentials_anyPath_refusedRatherThanIgnored() {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> client.withCredentials("/etc/credentials.json"));
        assertTrue(e.getMessage().contains("no credential file"), e.getMessage());
    }

    @Test
    void builder_noBackend_validationException() {
        assertThrows(ValidationException.class, () -> Kms4jKmsClient.builder().build());
    }

    @Test
    void builder_twoBackendsOfOneScheme_validationException() {
        try (Kms second = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build()) {
            Kms4jKmsClient.Builder builder = Kms4jKmsClient.builder().add(kms);
            ValidationException e = assertThrows(ValidationException.class, () -> builder.add(second));
            assertTrue(e.getMessage().contains("'local:'"), e.getMessage());
        }
    }

    @Test
    void kmsAead_associatedDataOverContextLimit_refusedWithValidationCause() throws GeneralSecurityException {
        // The hex-encoded data must fit kms4j's 8192-byte canonical context: 2 + 2 + 14 + 2 + 2n bytes.
        Aead kek = client.getAead(keyUri);
        byte[] largest = new byte[4086];
        assertArrayEquals(new byte[] {7}, kek.decrypt(kek.encrypt(new byte[] {7}, largest), largest));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> kek.encrypt(new byte[] {7}, new byte[4087]));
        assertEquals("ValidationException", ((KmsException) e.getCause()).awsErrorCode());
    }

    @Test
    void toString_namesSchemesAndBinding() {
        assertEquals("Kms4jKmsClient[schemes=[local]]", client.toString());
        assertEquals("Kms4jKmsClient[schemes=[local], boundTo=" + keyUri + "]", client.boundTo(keyUri).toString());
    }
}
