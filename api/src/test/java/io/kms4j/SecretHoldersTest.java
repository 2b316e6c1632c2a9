package io.kms4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretHoldersTest {

    @Test
    void dataKey_copiesInAndOut_wipesOnClose_redactsToString() {
        byte[] key = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        DataKey dataKey = DataKey.of(key, new byte[] {1, 2, 3}, "local:key/k");
        key[0] = 42; // the caller's array is not the holder's
        byte[] copy = dataKey.plaintext();
        assertTrue(copy[0] == 0);
        assertNotSame(copy, dataKey.plaintext());
        assertFalse(dataKey.toString().contains("00112233"));
        dataKey.close();
        assertTrue(dataKey.isDestroyed());
        assertThrows(IllegalStateException.class, dataKey::plaintext);
        assertThrows(IllegalStateException.class, () -> dataKey.toSecretKey("AES"));
        assertArrayEquals(new byte[] {1, 2, 3}, dataKey.ciphertextBlob(), "the encrypted copy is not secret");
    }

    @Test
    void decryptResult_wipesOnClose() {
        DecryptResult r = DecryptResult.of("secret".getBytes(), "local:key/k");
        assertFalse(r.toString().contains("secret"));
        r.close();
        assertThrows(IllegalStateException.class, r::plaintext);
    }
}
