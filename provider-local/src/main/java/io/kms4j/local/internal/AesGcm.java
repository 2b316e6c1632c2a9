package io.kms4j.local.internal;

import io.kms4j.InvalidCiphertextException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM on the JDK's provider (SunJCE, with AES-NI intrinsics), as the local provider uses it: the one
 * place its cryptography happens, and the code the Wycheproof AES-GCM vectors are run against.
 *
 * <p>Decryption rejects input shorter than the tag before the cipher sees it, and maps every failure to
 * {@link InvalidCiphertextException}, so a forged or truncated input can never yield plaintext or an untyped
 * error.
 *
 * <p>Not API. Thread safety: stateless; a fresh {@link Cipher} per call.
 */
public final class AesGcm {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private AesGcm() {
    }

    /**
     * Encrypts.
     *
     * @param tagBits the tag length in bits (128 for everything kms4j writes)
     * @return ciphertext followed by the tag
     * @throws IllegalArgumentException when the key, IV or tag length is not acceptable to AES-GCM
     */
    public static byte[] encrypt(SecretKey key, byte[] iv, int tagBits, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(tagBits, iv));
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(plaintext);
        } catch (InvalidKeyException | InvalidAlgorithmParameterException | IllegalArgumentException e) {
            throw new IllegalArgumentException("AES-GCM parameters rejected: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
        }
    }

    /**
     * Decrypts and authenticates.
     *
     * @return the plaintext; the caller wipes it
     * @throws InvalidCiphertextException when the input is shorter than the tag, the parameters are not
     *     acceptable, or authentication fails
     */
    public static byte[] decrypt(SecretKey key, byte[] iv, int tagBits, byte[] aad, byte[] ciphertextAndTag) {
        if (tagBits % 8 != 0 || ciphertextAndTag.length < tagBits / 8) {
            throw new InvalidCiphertextException("the ciphertext is shorter than its authentication tag");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBits, iv));
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw new InvalidCiphertextException("the ciphertext failed authentication (altered, truncated, "
                    + "or the encryption context differs)");
        } catch (InvalidKeyException | InvalidAlgorithmParameterException | IllegalArgumentException e) {
            throw new InvalidCiphertextException("AES-GCM parameters rejected: " + e.getMessage(), e);
        } catch (GeneralSecurityException | java.security.ProviderException e) {
            throw new InvalidCiphertextException("the ciphertext could not be decrypted", e);
        }
    }
}
