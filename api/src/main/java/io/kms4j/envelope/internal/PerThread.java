package io.kms4j.envelope.internal;

/**
 * What each thread keeps for the hot path so that a cached encryption or decryption allocates nothing beyond
 * its output: the frame cipher and the cache lookup probes. One {@link ThreadLocal} lookup per message.
 *
 * <p>Not API. Thread safety: confined to its thread by construction.
 */
public final class PerThread {
    private static final ThreadLocal<PerThread> LOCAL = ThreadLocal.withInitial(PerThread::new);

    /** This thread's frame cipher. */
    public final FrameCipher cipher = FrameCipher.create();
    /** This thread's encrypt-side lookup probe. */
    public final CacheKeys.ForEncryption encryptionProbe = new CacheKeys.ForEncryption();
    /** This thread's decrypt-side lookup probe. */
    public final CacheKeys.ForDecryption decryptionProbe = new CacheKeys.ForDecryption();

    private PerThread() {
    }

    /** This thread's instance. */
    public static PerThread get() {
        return LOCAL.get();
    }
}
