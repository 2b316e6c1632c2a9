package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyState;
import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.InMemoryAuditSink;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * All four AWS key-id forms (key id, key ARN, alias name, alias ARN) through the AWS provider, against moto's
 * real AWS-style ARNs ({@code arn:aws:kms:us-east-1:123456789012:…}): the cryptographic calls pass the form
 * through, the key-management calls resolve it, and the audit trail names the key by its ARN either way.
 */
class AwsKmsProviderKeyIdFormsTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private Kms kms;

    @BeforeEach
    void open() {
        kms = Kms.builder().provider(AwsTestClients.provider(MOTO.endpoint())).auditSink(audit).build();
    }

    @AfterEach
    void close() {
        kms.close();
    }

    @Test
    public void everyKeyIdForm_everyOperation_sameKey() {
        KeyMetadata key = kms.createKey();
        String aliasName = "alias/forms-" + UUID.randomUUID();
        kms.createAlias(aliasName, key.arn());
        String aliasArn = key.arn().replace(":key/" + key.keyId(), ":" + aliasName);
        assertTrue(key.arn().startsWith("arn:aws:kms:us-east-1:"), key.arn());
        for (String ref : List.of(key.keyId(), key.arn(), aliasName, aliasArn)) {
            assertEquals(key.keyId(), kms.describeKey(ref).keyId(), ref);
            byte[] blob = kms.encrypt(ref, new byte[] {1, 2, 3}).ciphertextBlob();
            try (DecryptResult r = kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob).keyId(ref).build())) {
                assertEquals(key.arn(), r.keyId(), ref);
            }
            try (DataKey dk = kms.generateDataKey(ref, DataKeySpec.AES_128)) {
                assertEquals(key.arn(), dk.keyId(), ref);
            }
            audit.clear();
            kms.disableKey(ref);
            assertEquals(KeyState.DISABLED, kms.describeKey(key.keyId()).keyState(), ref);
            kms.enableKey(ref);
            assertEquals(KeyState.ENABLED, kms.describeKey(key.keyId()).keyState(), ref);
            AuditEvent disable = audit.events().get(0);
            assertEquals("DisableKey", disable.eventName());
            assertEquals(key.arn(), disable.resources().get(0).arn(), "the audit trail names the key ARN");
            kms.enableKeyRotation(ref, 90);
            assertTrue(kms.getKeyRotationStatus(ref).rotationEnabled(), ref);
            kms.disableKeyRotation(ref);
            assertEquals(1, kms.listAliases(ref, 50, null).items().stream()
                    .filter(a -> a.aliasName().equals(aliasName)).count(), ref);
        }
        KeyMetadata signing = kms.createKey(new io.kms4j.CreateKeyRequest("forms", io.kms4j.KeyUsage.SIGN_VERIFY,
                io.kms4j.KeySpec.ECC_NIST_P256));
        String signingAlias = "alias/forms-signing-" + UUID.randomUUID();
        kms.createAlias(signingAlias, signing.keyId());
        String signingAliasArn = signing.arn().replace(":key/" + signing.keyId(), ":" + signingAlias);
        for (String ref : List.of(signing.keyId(), signing.arn(), signingAlias, signingAliasArn)) {
            io.kms4j.SignRequest.Builder request = io.kms4j.SignRequest.builder().keyId(ref).message(new byte[] {7})
                    .signingAlgorithm(io.kms4j.SigningAlgorithm.ECDSA_SHA_256);
            io.kms4j.SignResult signed = kms.sign(request.build());
            assertEquals(signing.arn(), signed.keyId(), ref);
            assertEquals(signing.arn(), kms.verify(request.signature(signed.signature()).build()).keyId(), ref);
            assertEquals(signing.arn(), kms.getPublicKey(ref).keyId(), "the ARN even where moto answers the short id");
        }
        String second = kms.createKey().keyId();
        kms.updateAlias(aliasName, second);
        assertEquals(second, kms.describeKey(aliasName).keyId());
        kms.deleteAlias(aliasName);
    }
}
