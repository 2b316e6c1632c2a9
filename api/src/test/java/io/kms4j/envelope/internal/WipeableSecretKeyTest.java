package io.kms4j.envelope.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/** A wiped key never yields zeros to a cipher: initialization fails instead. */
class WipeableSecretKeyTest {
    @Test
    void getEncoded_live_copyOfKey() {
        byte[] material = {1, 2, 3, 4};
        WipeableSecretKey key = new WipeableSecretKey(material, "AES");
        material[0] = 9;
        byte[] copy = key.getEncoded();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, copy, "copied in");
        copy[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, key.getEncoded(), "copied out");
        assertFalse(key.toString().contains("1, 2"));
    }

    @Test
    void cipherInit_afterDestroy_failsInsteadOfUsingZeros() throws Exception {
        WipeableSecretKey key = new WipeableSecretKey(new byte[32], "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
        key.destroy();
        assertTrue(key.isDestroyed());
        assertThrows(WipeableSecretKey.DestroyedException.class,
                () -> cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[] {1, 2, 3, 4, 5, 6,
                    7, 8, 9, 10, 11, 12})));
        key.destroy(); // idempotent
    }

    @Test
    void serialization_refused() {
        WipeableSecretKey key = new WipeableSecretKey(new byte[32], "AES");
        assertThrows(NotSerializableException.class,
                () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(key));
    }
}
