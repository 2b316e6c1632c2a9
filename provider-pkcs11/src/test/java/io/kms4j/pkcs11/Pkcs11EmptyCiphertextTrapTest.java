package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.pkcs11.internal.TokenConnection;
import io.kms4j.pkcs11.internal.TokenSlotResolver;
import io.kms4j.spi.support.CiphertextBlob;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The known SunPKCS11 trap: an EMPTY GCM ciphertext "decrypts" to an empty plaintext with no tag checked. The
 * first test shows the trap is real on this JDK and token; the others show kms4j refuses such input before the
 * token is called (had the token been called, the answer would have been a silent empty plaintext, not an
 * exception).
 */
class Pkcs11EmptyCiphertextTrapTest {
    private static final byte[] IV = new byte[12];
    private static final byte[] AAD = {1, 2, 3};

    @Test
    void rawSunPkcs11_emptyGcmCiphertext_returnsEmptyPlaintextWithoutAnyTagCheck() throws Exception {
        Provider raw = TestToken.rawSunPkcs11(TestToken.label());
        KeyStore.getInstance("PKCS11", raw).load(null, TestToken.pin());
        KeyGenerator generator = KeyGenerator.getInstance("AES", raw);
        generator.init(256);
        SecretKey key = generator.generateKey();

        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", raw);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, IV));
        cipher.updateAAD(AAD);
        assertEquals(0, cipher.doFinal(new byte[0]).length, "the trap: no AEADBadTagException for no tag at all");

        Cipher oneByte = Cipher.getInstance("AES/GCM/NoPadding", raw);
        oneByte.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, IV));
        oneByte.updateAAD(AAD);
        assertThrows(AEADBadTagException.class, () -> oneByte.doFinal(new byte[1]), "one byte is checked");
    }

    @Test
    void openGcm_emptyOrShorterThanTag_invalidCiphertextBeforeTheToken() {
        // A provider makes a key; the connection is then driven directly with that key's token object.
        Pkcs11KmsProvider provider = TestToken.builder(TestToken.freshStateDirectory(), Clock.systemUTC()).build();
        String module = TestToken.module().toString();
        TokenConnection token = TokenConnection.open(module, TokenSlotResolver.resolve(module, TestToken.label()),
                TestToken.label(), TestToken.pin());
        try {
            String label = Pkcs11KmsProvider.tokenObjectLabel(
                    provider.createKey(io.kms4j.CreateKeyRequest.withDescription("trap")).keyId(), 1);
            for (int length : new int[] {0, 1, 15}) {
                assertThrows(InvalidCiphertextException.class,
                        () -> token.openGcm(label, IV, AAD, new byte[length]), length + " bytes");
            }
            assertThrows(InvalidCiphertextException.class, () -> token.openGcm(label, IV, AAD, null));
            byte[] sealed = token.sealGcm(label, IV, AAD, new byte[0]);
            assertEquals(16, sealed.length, "an empty plaintext seals to a bare tag");
            assertEquals(0, token.openGcm(label, IV, AAD, sealed).length);
        } finally {
            token.release();
            provider.close();
        }
    }

    @Test
    void decrypt_blobWithHeaderButNoCiphertextOrTag_invalidCiphertext() {
        try (Kms kms = Kms.builder().provider(TestToken.builder(TestToken.freshStateDirectory(), Clock.systemUTC())
                .build()).auditSink(new InMemoryAuditSink()).build()) {
            String keyId = kms.createKey().keyId();
            byte[] iv = new byte[CiphertextBlob.IV_LENGTH];
            new SecureRandom().nextBytes(iv);
            byte[] header = CiphertextBlob.header(keyId, 1, iv);
            for (int tail : new int[] {0, 1, 15}) {
                byte[] blob = Arrays.copyOf(header, header.length + tail);
                assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(blob), tail + " bytes after the IV");
            }
            // A real empty-plaintext ciphertext (tag only) still decrypts: the check is on length, not on content.
            byte[] empty = kms.encrypt(keyId, new byte[0]).ciphertextBlob();
            assertEquals(header.length + CiphertextBlob.TAG_LENGTH, empty.length);
            assertEquals(0, kms.decrypt(empty).length());
        }
    }
}
