package io.kms4j.benchmarks.envelope;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline: AES-256-GCM straight on the JDK, as an expert would write it. One {@link Cipher} per thread
 * (re-initialized per message with the same key, so the key schedule is reused), a fresh random 96-bit IV per
 * message from the thread's {@link SecureRandom}, and the output ({@code IV || ciphertext || tag}) allocated per
 * call. No framing, no header, no key management.
 */
@State(Scope.Thread)
public class RawAesGcm {
    private Cipher cipher;
    private SecureRandom random;

    @Setup
    public void setup() throws GeneralSecurityException {
        cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        random = new SecureRandom();
    }

    /** Encrypts to {@code IV || ciphertext || tag}. */
    public byte[] encrypt(SecretKey key, byte[] plaintext) throws GeneralSecurityException {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        byte[] out = new byte[12 + plaintext.length + 16];
        System.arraycopy(iv, 0, out, 0, 12);
        cipher.doFinal(plaintext, 0, plaintext.length, out, 12);
        return out;
    }

    /** Decrypts {@code IV || ciphertext || tag}. */
    public byte[] decrypt(SecretKey key, byte[] message) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, message, 0, 12));
        return cipher.doFinal(message, 12, message.length - 12);
    }
}
