package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.KeyState;
import io.kms4j.KmsInternalException;
import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.pkcs11.internal.TokenKeyringStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The token-sealed metadata file: it survives restarts, two stores on one directory see each other's changes at
 * once, and a file that was altered, or that belongs to another token, is refused rather than misread.
 */
class Pkcs11MetadataStoreTest {

    private static Kms open(Path stateDir) {
        return Kms.builder().provider(TestToken.builder(stateDir, Clock.systemUTC()).build())
                .auditSink(new InMemoryAuditSink()).build();
    }

    @Test
    void metadata_survivesRestart() {
        Path dir = TestToken.freshStateDirectory();
        String keyId;
        byte[] blob;
        try (Kms kms = open(dir)) {
            keyId = kms.createKey(io.kms4j.CreateKeyRequest.withDescription("survivor")).keyId();
            kms.createAlias("alias/survivor", keyId);
            kms.rotateKeyOnDemand(keyId);
            blob = kms.encrypt("alias/survivor", new byte[] {4, 2}).ciphertextBlob();
            kms.disableKey(keyId);
        }
        try (Kms kms = open(dir)) {
            assertEquals("survivor", kms.describeKey("alias/survivor").description());
            assertEquals(KeyState.DISABLED, kms.describeKey(keyId).keyState());
            assertEquals(1, kms.listKeyRotations(keyId).size());
            kms.enableKey(keyId);
            assertEquals(2, kms.decrypt(blob).length());
        }
    }

    @Test
    void twoProvidersOnOneDirectory_changesVisibleOnTheNextCall() {
        Path dir = TestToken.freshStateDirectory();
        try (Kms first = open(dir); Kms second = open(dir)) {
            String keyId = first.createKey().keyId();
            assertEquals(KeyState.ENABLED, second.describeKey(keyId).keyState());
            second.disableKey(keyId);
            assertEquals(KeyState.DISABLED, first.describeKey(keyId).keyState());
            first.createAlias("alias/seen", keyId);
            assertEquals(keyId, second.describeKey("alias/seen").keyId());
        }
    }

    @Test
    void alteredMetadataFile_refusedAtOpen() throws Exception {
        Path dir = TestToken.freshStateDirectory();
        try (Kms kms = open(dir)) {
            kms.createKey();
        }
        Path file = dir.resolve(TokenKeyringStore.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1; // inside the sealed payload
        Files.write(file, bytes);
        KmsInternalException e = assertThrows(KmsInternalException.class, () -> open(dir));
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
    }

    @Test
    void metadataOfAnotherToken_refusedAtOpen() {
        Path dir = TestToken.freshStateDirectory();
        try (Kms kms = open(dir)) {
            kms.createKey();
        }
        KmsInternalException e = assertThrows(KmsInternalException.class, () -> Pkcs11KmsProvider.builder()
                .modulePath(TestToken.module()).tokenLabel(TestToken.otherLabel()).pin(TestToken.pin())
                .stateDirectory(dir).build());
        assertTrue(e.getMessage().contains("another token"), e.getMessage());
    }
}
