package io.kms4j;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Shared mechanics of the types that hold secret bytes: copy in, copy out, wipe on close or destroy.
 *
 * <p>Thread safety: every method is synchronized, so a {@link #destroy()} racing a copy either wipes before
 * the copy (the copy then fails) or after it (the copy holds the bytes), never halfway.
 */
abstract class SecretHolder implements Destroyable, AutoCloseable {
    private final byte[] secret;
    private boolean destroyed;

    /** Takes a private copy of {@code secret}; the caller keeps ownership of (and wipes) its own array. */
    SecretHolder(byte[] secret) {
        this.secret = secret.clone();
    }

    /**
     * A fresh copy of the secret bytes; the caller should wipe it (for example with {@code Arrays.fill}) when
     * done.
     *
     * @throws IllegalStateException after {@link #destroy()} or {@link #close()}
     */
    synchronized byte[] copySecret() {
        requireLive();
        return secret.clone();
    }

    /** The number of secret bytes; available even after destruction. */
    final int secretLength() {
        return secret.length;
    }

    /** Overwrites the secret bytes with zeros. Idempotent. */
    @Override
    public final synchronized void destroy() {
        Arrays.fill(secret, (byte) 0);
        destroyed = true;
    }

    /** Whether {@link #destroy()} or {@link #close()} has run. */
    @Override
    public final synchronized boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, so the holder can be used in try-with-resources. */
    @Override
    public final void close() {
        destroy();
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException(getClass().getSimpleName() + " has been destroyed");
        }
    }
}
