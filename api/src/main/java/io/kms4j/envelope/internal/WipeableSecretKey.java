package io.kms4j.envelope.internal;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;
import javax.crypto.SecretKey;

/**
 * A raw secret key that can be wiped, unlike the JDK's {@code SecretKeySpec} (whose {@code destroy()} is not
 * implemented).
 *
 * <p>The point is what happens when a key is wiped while another thread is about to use it: {@link #getEncoded()}
 * never returns a half-wiped or all-zero key. It copies the key under an optimistic read of a
 * {@link StampedLock} and throws {@link DestroyedException} when a wipe happened before or during the copy, so
 * a racing encryption fails (and is retried under a fresh key) instead of silently using zeros. The optimistic
 * read writes nothing shared, so the hot path stays free of cache-line contention between threads.
 *
 * <p>Not serializable. Not API. Thread safety: safe for concurrent use.
 */
public final class WipeableSecretKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final transient byte[] key;
    private final String algorithm;
    private final transient StampedLock lock = new StampedLock();
    private transient volatile boolean destroyed;

    /**
     * Takes a copy of {@code key}; the caller wipes its own array.
     *
     * @param algorithm the JCA algorithm name, for example {@code "AES"} or {@code "HmacSHA256"}
     */
    public WipeableSecretKey(byte[] key, String algorithm) {
        this.key = key.clone();
        this.algorithm = algorithm;
    }

    /** Thrown by {@link #getEncoded()} once the key has been wiped. Not API. */
    public static final class DestroyedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DestroyedException() {
            super("the key has been wiped");
        }
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /**
     * A fresh copy of the key; JCA providers call this when a cipher or MAC is initialized.
     *
     * @throws DestroyedException when the key was wiped before or while it was copied
     */
    @Override
    public byte[] getEncoded() {
        long stamp = lock.tryOptimisticRead();
        boolean gone = destroyed;
        byte[] copy = key.clone();
        if (stamp == 0 || gone || !lock.validate(stamp)) {
            Arrays.fill(copy, (byte) 0);
            throw new DestroyedException();
        }
        return copy;
    }

    /** A new key holding a copy of this one, for a stream that must outlive cache eviction. */
    public WipeableSecretKey copy() {
        byte[] bytes = getEncoded();
        try {
            return new WipeableSecretKey(bytes, algorithm);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Overwrites the key with zeros. Idempotent. */
    @Override
    public void destroy() {
        long stamp = lock.writeLock();
        try {
            destroyed = true;
            Arrays.fill(key, (byte) 0);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "WipeableSecretKey[" + algorithm + ", " + key.length + " bytes, <redacted>]";
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("secret keys are never serialized");
    }
}
