package io.kms4j.envelope.internal;

import io.kms4j.InvalidCiphertextException;
import io.kms4j.KmsInternalException;
import java.security.GeneralSecurityException;
import java.security.NoSuchProviderException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens single frames with AES-256-GCM on the JDK's own provider (SunJCE, which has AES-NI and
 * carry-less-multiply intrinsics; a pure-Java provider such as Bouncy Castle's is 30 to 65 times slower here, so
 * the JDK provider is asked for by name rather than taken from whatever is first in the provider list).
 *
 * <p>Frames have no associated data: everything a frame is bound to is in its key (derived from the data key
 * and the header) or its IV (message number, frame index, frame type). That also spares the JDK's GCM the
 * buffer it allocates for associated data on every call.
 *
 * <p>{@link PerThread} gives each thread one reusable instance: {@code Cipher.getInstance} is far too costly
 * per message, and re-initializing one cipher with the same key lets the JDK skip the AES key schedule. Each
 * call initializes, processes one whole frame and finishes, so no cipher state survives between calls and an
 * instance can never be caught half-way through a frame by a reentrant call.
 *
 * <p>Not API. Thread safety: an instance is not thread-safe; {@link PerThread} confines one to each thread.
 */
public final class FrameCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final Cipher cipher;
    private final byte[] iv = new byte[MessageFormat.IV_LENGTH];

    private FrameCipher() {
        this.cipher = newGcmCipher();
    }

    /** A new instance: {@link PerThread} keeps one per thread, and each stream has its own. */
    public static FrameCipher create() {
        return new FrameCipher();
    }

    /** The name of the JCA provider doing the work, for diagnostics and tests. */
    public String providerName() {
        return cipher.getProvider().getName();
    }

    /**
     * Encrypts one frame: {@code length} plaintext bytes at {@code in[inOffset]} to ciphertext and tag at
     * {@code out[outOffset]}.
     *
     * @return the number of bytes written ({@code length + 16})
     * @throws WipeableSecretKey.DestroyedException when the key was wiped (the caller retries under a new key)
     */
    public int seal(SecretKey key, long messageNumber, long frameIndex, boolean finalFrame, byte[] in, int inOffset,
                    int length, byte[] out, int outOffset) {
        MessageFormat.frameIv(iv, messageNumber, frameIndex, finalFrame);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(MessageFormat.TAG_LENGTH * 8, iv));
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decrypts and authenticates one frame: {@code length} bytes of ciphertext and tag at {@code in[inOffset]}
     * to plaintext at {@code out[outOffset]}. Nothing is written unless the tag verifies.
     *
     * @return the number of plaintext bytes written ({@code length - 16})
     * @throws InvalidCiphertextException when the frame fails authentication
     * @throws WipeableSecretKey.DestroyedException when the key was wiped (the caller retries under a new key)
     */
    public int open(SecretKey key, long messageNumber, long frameIndex, boolean finalFrame, byte[] in, int inOffset,
                    int length, byte[] out, int outOffset) {
        MessageFormat.frameIv(iv, messageNumber, frameIndex, finalFrame);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(MessageFormat.TAG_LENGTH * 8, iv));
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            throw new InvalidCiphertextException("frame " + frameIndex + " of the envelope message failed "
                    + "authentication (altered, truncated, reordered, or from another message)");
        } catch (GeneralSecurityException e) {
            throw new InvalidCiphertextException("frame " + frameIndex + " of the envelope message could not be "
                    + "decrypted", e);
        }
    }

    private static Cipher newGcmCipher() {
        try {
            try {
                return Cipher.getInstance(TRANSFORMATION, "SunJCE");
            } catch (NoSuchProviderException e) {
                // A JDK without SunJCE (some FIPS builds): take the configured provider rather than fail.
                return Cipher.getInstance(TRANSFORMATION);
            }
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("AES/GCM/NoPadding is unavailable in this JDK", e);
        }
    }
}
