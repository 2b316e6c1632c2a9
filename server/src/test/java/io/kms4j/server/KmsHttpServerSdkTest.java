package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.LocalKmsProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.VerifyResponse;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/**
 * The real AWS SDK for Java v2 against the kms4j server over the local provider: every operation kms4j
 * supports, AWS's typed errors, timestamps, pagination, SigV4 verification, and the caller in the audit trail.
 */
class KmsHttpServerSdkTest {
    private static InMemoryAuditSink audit;
    private static Kms kms;
    private static KmsHttpServer server;
    private static KmsClient sdk;

    @BeforeAll
    static void start() {
        audit = new InMemoryAuditSink();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build();
        server = KmsHttpServer.builder(kms).build().start();
        sdk = SdkClients.client(server.endpoint());
    }

    @AfterAll
    static void stop() {
        sdk.close();
        server.stop();
        kms.close();
    }

    @BeforeEach
    void clearAudit() {
        audit.clear();
    }

    private static SdkBytes utf8(String s) {
        return SdkBytes.fromUtf8String(s);
    }

    @Test
    public void createAndDescribe_everyKeyIdForm_sameMetadataWithEpochTimestamps() {
        String alias = "alias/orders-" + java.util.UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(1);
        KeyMetadata created = sdk.createKey(b -> b.description("orders")).keyMetadata();
        assertEquals(KeyState.ENABLED, created.keyState());
        assertTrue(created.enabled());
        assertEquals("ENCRYPT_DECRYPT", created.keyUsageAsString());
        assertEquals("SYMMETRIC_DEFAULT", created.keySpecAsString());
        assertEquals(List.of("SYMMETRIC_DEFAULT"), created.encryptionAlgorithmsAsStrings());
        assertTrue(created.creationDate().isAfter(before), "CreationDate parses as a timestamp");
        assertEquals("local:key/" + created.keyId(), created.arn());
        sdk.createAlias(b -> b.aliasName(alias).targetKeyId(created.keyId()));
        for (String ref : List.of(created.keyId(), created.arn(), alias, "local:" + alias)) {
            KeyMetadata m = sdk.describeKey(b -> b.keyId(ref)).keyMetadata();
            assertEquals(created.keyId(), m.keyId(), ref);
            assertEquals("orders", m.description());
        }
    }

    @Test
    public void encryptDecrypt_noKeyIdOnDecrypt_roundTripWithContext() {
        String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
        EncryptResponse enc = sdk.encrypt(b -> b.keyId(keyId).plaintext(utf8("hello world"))
                .encryptionContext(Map.of("app", "kms4j")));
        assertEquals("local:key/" + keyId, enc.keyId());
        assertEquals("SYMMETRIC_DEFAULT", enc.encryptionAlgorithmAsString());
        DecryptResponse dec = sdk.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())
                .encryptionContext(Map.of("app", "kms4j")));
        assertEquals("hello world", dec.plaintext().asUtf8String());
        assertEquals(enc.keyId(), dec.keyId());
        assertThrows(InvalidCiphertextException.class, () -> sdk.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())));
        String other = sdk.createKey(b -> { }).keyMetadata().keyId();
        assertThrows(IncorrectKeyException.class,
                () -> sdk.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).keyId(other)
                        .encryptionContext(Map.of("app", "kms4j"))));
    }

    @Test
    public void signVerifyGetPublicKey_sdkShapes_publicKeyVerifiesInJca() throws Exception {
        KeyMetadata created = sdk.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P384).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata();
        assertEquals(List.of("ECDSA_SHA_384"), created.signingAlgorithmsAsStrings());
        assertTrue(created.encryptionAlgorithms().isEmpty(), "a signing key lists no encryption algorithms");
        assertEquals(6, sdk.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata().signingAlgorithms().size());
        SdkBytes message = utf8("signed over the wire");
        SignResponse signed = sdk.sign(b -> b.keyId(created.keyId()).message(message).messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384));
        assertEquals(created.arn(), signed.keyId());
        assertEquals(SigningAlgorithmSpec.ECDSA_SHA_384, signed.signingAlgorithm());
        VerifyResponse verified = sdk.verify(b -> b.keyId(created.arn()).message(message)
                .signature(signed.signature()).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384));
        assertTrue(verified.signatureValid());
        assertEquals(created.arn(), verified.keyId());
        KmsInvalidSignatureException invalid = assertThrows(KmsInvalidSignatureException.class, () -> sdk.verify(b -> b
                .keyId(created.keyId()).message(utf8("signed over the wirE")).signature(signed.signature())
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)));
        assertEquals(400, invalid.statusCode());
        byte[] digest = java.security.MessageDigest.getInstance("SHA-384").digest(message.asByteArray());
        assertTrue(sdk.verify(b -> b.keyId(created.keyId()).message(SdkBytes.fromByteArray(digest))
                .messageType(MessageType.DIGEST).signature(signed.signature())
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)).signatureValid());

        GetPublicKeyResponse pub = sdk.getPublicKey(b -> b.keyId(created.keyId()));
        assertEquals(created.arn(), pub.keyId());
        assertEquals(KeySpec.ECC_NIST_P384, pub.keySpec());
        assertEquals("ECC_NIST_P384", pub.customerMasterKeySpecAsString());
        assertEquals(KeyUsageType.SIGN_VERIFY, pub.keyUsage());
        assertEquals(List.of("ECDSA_SHA_384"), pub.signingAlgorithmsAsStrings());
        java.security.Signature jca = java.security.Signature.getInstance("SHA384withECDSA");
        jca.initVerify(java.security.KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.X509EncodedKeySpec(pub.publicKey().asByteArray())));
        jca.update(message.asByteArray());
        assertTrue(jca.verify(signed.signature().asByteArray()), "the public key verifies outside kms4j");

        String symmetric = sdk.createKey(b -> { }).keyMetadata().keyId();
        assertThrows(InvalidKeyUsageException.class, () -> sdk.sign(b -> b.keyId(symmetric).message(message)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
        assertThrows(InvalidKeyUsageException.class, () -> sdk.sign(b -> b.keyId(created.keyId()).message(message)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
        assertThrows(UnsupportedOperationException.class, () -> sdk.getPublicKey(b -> b.keyId(symmetric)));
        List<String> events = audit.events().stream().map(AuditEvent::eventName).toList();
        assertTrue(events.containsAll(List.of("Sign", "Verify", "GetPublicKey")), events.toString());
    }

    @Test
    public void dataKeysRandomAndReEncrypt_awsShapes() {
        String a = sdk.createKey(b -> { }).keyMetadata().keyId();
        String bKey = sdk.createKey(b -> { }).keyMetadata().keyId();
        var dk = sdk.generateDataKey(b -> b.keyId(a).keySpec(DataKeySpec.AES_256));
        assertEquals(32, dk.plaintext().asByteArray().length);
        assertArrayEquals(dk.plaintext().asByteArray(),
                sdk.decrypt(b -> b.ciphertextBlob(dk.ciphertextBlob())).plaintext().asByteArray());
        var dk16 = sdk.generateDataKeyWithoutPlaintext(b -> b.keyId(a).numberOfBytes(16));
        assertEquals(16, sdk.decrypt(b -> b.ciphertextBlob(dk16.ciphertextBlob())).plaintext().asByteArray().length);
        assertEquals(64, sdk.generateRandom(b -> b.numberOfBytes(64)).plaintext().asByteArray().length);
        var re = sdk.reEncrypt(b -> b.ciphertextBlob(dk.ciphertextBlob()).destinationKeyId(bKey)
                .destinationEncryptionContext(Map.of("to", "b")));
        assertEquals("local:key/" + a, re.sourceKeyId());
        assertEquals("local:key/" + bKey, re.keyId());
        assertArrayEquals(dk.plaintext().asByteArray(), sdk.decrypt(b -> b.ciphertextBlob(re.ciphertextBlob())
                .encryptionContext(Map.of("to", "b"))).plaintext().asByteArray());
    }

    @Test
    public void keyLifecycle_disableScheduleCancelRotate_awsErrorsAndShapes() {
        String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
        sdk.disableKey(b -> b.keyId(keyId));
        assertThrows(DisabledException.class, () -> sdk.encrypt(b -> b.keyId(keyId).plaintext(utf8("x"))));
        sdk.enableKey(b -> b.keyId(keyId));
        ScheduleKeyDeletionResponse s = sdk.scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(7));
        assertEquals(KeyState.PENDING_DELETION, s.keyState());
        assertEquals(7, s.pendingWindowInDays());
        Duration window = Duration.between(Instant.now(), s.deletionDate());
        assertTrue(window.compareTo(Duration.ofDays(6)) > 0 && window.compareTo(Duration.ofDays(8)) < 0, window.toString());
        assertThrows(KmsInvalidStateException.class, () -> sdk.encrypt(b -> b.keyId(keyId).plaintext(utf8("x"))));
        assertEquals(keyId, sdk.cancelKeyDeletion(b -> b.keyId(keyId)).keyId());
        assertEquals(KeyState.DISABLED, sdk.describeKey(b -> b.keyId(keyId)).keyMetadata().keyState());
        sdk.enableKey(b -> b.keyId(keyId));
        sdk.enableKeyRotation(b -> b.keyId(keyId).rotationPeriodInDays(180));
        var status = sdk.getKeyRotationStatus(b -> b.keyId(keyId));
        assertTrue(status.keyRotationEnabled());
        assertEquals(180, status.rotationPeriodInDays());
        assertNotNull(status.nextRotationDate());
        sdk.rotateKeyOnDemand(b -> b.keyId(keyId));
        sdk.rotateKeyOnDemand(b -> b.keyId(keyId));
        var rotations = sdk.listKeyRotations(b -> b.keyId(keyId).limit(1));
        assertEquals(1, rotations.rotations().size());
        assertTrue(rotations.truncated());
        var rest = sdk.listKeyRotations(b -> b.keyId(keyId).marker(rotations.nextMarker()));
        assertEquals(1, rest.rotations().size());
        assertFalse(rest.truncated());
        sdk.disableKeyRotation(b -> b.keyId(keyId));
        assertFalse(sdk.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled());
        assertThrows(NotFoundException.class, () -> sdk.describeKey(b -> b.keyId("1234abcd-12ab-34cd-56ef-1234567890ab")));
    }

    @Test
    public void paginators_listKeysAndAliases_everyEntryOnce() {
        Set<String> created = new HashSet<>();
        Set<String> aliases = new HashSet<>();
        String prefix = "alias/page-" + java.util.UUID.randomUUID() + "-";
        for (int i = 0; i < 7; i++) {
            String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
            created.add(keyId);
            String alias = prefix + i;
            aliases.add(alias);
            sdk.createAlias(b -> b.aliasName(alias).targetKeyId(keyId));
        }
        List<String> listed = sdk.listKeysPaginator(b -> b.limit(2)).keys().stream()
                .map(k -> k.keyId()).toList();
        assertEquals(listed.size(), new HashSet<>(listed).size(), "no key is listed twice");
        assertTrue(listed.containsAll(created));
        List<String> listedAliases = sdk.listAliasesPaginator(b -> b.limit(3)).aliases().stream()
                .map(a -> a.aliasName()).filter(a -> a.startsWith(prefix)).toList();
        assertEquals(aliases, new HashSet<>(listedAliases));
        assertEquals(7, listedAliases.size());
        String first = prefix + 0;
        String someKey = created.iterator().next();
        assertThrows(AlreadyExistsException.class, () -> sdk.createAlias(b -> b.aliasName(first).targetKeyId(someKey)));
        sdk.updateAlias(b -> b.aliasName(first).targetKeyId(someKey));
        assertEquals(someKey, sdk.describeKey(b -> b.keyId(first)).keyMetadata().keyId());
        sdk.deleteAlias(b -> b.aliasName(first));
        assertThrows(NotFoundException.class, () -> sdk.describeKey(b -> b.keyId(first)));
    }

    @Test
    public void emptyPlaintextAndNeitherSpecNorBytes_validationExceptionAsAws() {
        String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
        KmsException empty = assertThrows(KmsException.class,
                () -> sdk.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromByteArray(new byte[0]))));
        assertEquals("ValidationException", empty.awsErrorDetails().errorCode());
        KmsException neither = assertThrows(KmsException.class, () -> sdk.generateDataKey(b -> b.keyId(keyId)));
        assertEquals("ValidationException", neither.awsErrorDetails().errorCode());
        assertEquals(400, neither.statusCode());
    }

    @Test
    public void audit_devMode_recordsCallerAddressUserAgentAndClaimedKey() {
        String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
        sdk.encrypt(b -> b.keyId(keyId).plaintext(utf8("x")));
        assertThrows(NotFoundException.class, () -> sdk.describeKey(b -> b.keyId("alias/none")));
        List<AuditEvent> events = audit.events();
        assertEquals(List.of("CreateKey", "Encrypt", "DescribeKey"),
                events.stream().map(AuditEvent::eventName).toList());
        for (AuditEvent e : events) {
            assertEquals("127.0.0.1", e.sourceIpAddress());
            assertTrue(e.userAgent().startsWith("aws-sdk-java/"), e.userAgent());
            assertEquals("Anonymous", e.userIdentity().type());
            assertEquals("AKIDTEST", e.userIdentity().accessKeyId());
        }
        assertEquals("NotFoundException", events.get(2).errorCode());
        assertNull(events.get(1).errorCode());
    }

    @Test
    public void sigV4_configuredCredentials_verifiedAndRecorded_wrongOnesRefused() {
        KmsHttpServer verifying = KmsHttpServer.builder(kms)
                .credentials(SigV4Credentials.of("AKIDREAL", "real-secret".toCharArray())).build().start();
        try (KmsClient good = SdkClients.client(verifying.endpoint(), AwsBasicCredentials.create("AKIDREAL", "real-secret"));
             KmsClient session = SdkClients.client(verifying.endpoint(),
                     AwsSessionCredentials.create("AKIDREAL", "real-secret", "SESSION-TOKEN"));
             KmsClient wrongSecret = SdkClients.client(verifying.endpoint(),
                     AwsBasicCredentials.create("AKIDREAL", "guess"));
             KmsClient unknownKey = SdkClients.client(verifying.endpoint(),
                     AwsBasicCredentials.create("AKIDOTHER", "real-secret"))) {
            assertFalse(verifying.devMode());
            audit.clear();
            String keyId = good.createKey(b -> { }).keyMetadata().keyId();
            assertEquals("x", good.decrypt(b -> b.ciphertextBlob(session.encrypt(e -> e.keyId(keyId)
                    .plaintext(utf8("x"))).ciphertextBlob())).plaintext().asUtf8String());
            AuditEvent first = audit.events().get(0);
            assertEquals("AccessKey", first.userIdentity().type());
            assertEquals("AKIDREAL", first.userIdentity().principalId());
            KmsException bad = assertThrows(KmsException.class, () -> wrongSecret.listKeys());
            assertEquals("InvalidSignatureException", bad.awsErrorDetails().errorCode());
            KmsException unknown = assertThrows(KmsException.class, () -> unknownKey.listKeys());
            assertEquals("UnrecognizedClientException", unknown.awsErrorDetails().errorCode());
            assertEquals(3, audit.size(), "refused requests never reach kms4j, so they leave no audit event");
        } finally {
            verifying.stop();
        }
    }

    @Test
    public void encrypt_plaintextNeverInAuditTrail() {
        audit.clear();
        String keyId = sdk.createKey(b -> { }).keyMetadata().keyId();
        byte[] secret = "SECRET-MARKER-1234567890".getBytes(StandardCharsets.UTF_8);
        sdk.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromByteArray(secret)));
        for (AuditEvent e : audit.events()) {
            assertFalse(e.toJson().contains("SECRET-MARKER"));
            assertFalse(e.toJson().contains(java.util.Base64.getEncoder().encodeToString(secret).substring(0, 20)));
        }
    }
}
