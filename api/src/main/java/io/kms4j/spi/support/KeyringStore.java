package io.kms4j.spi.support;

import java.util.function.Function;

/**
 * Where a managed-key provider keeps its {@link Keyring}: in memory, in an encrypted keystore file, or in a
 * metadata file beside a PKCS#11 token.
 *
 * <p>Implementations must be safe for concurrent use, and file-backed ones must let several processes share
 * one store: {@link #update} takes an inter-process lock, re-reads what another process wrote, applies the
 * change and writes the result atomically; {@link #read} sees the latest state another process committed.
 */
public interface KeyringStore extends AutoCloseable {

    /**
     * Runs {@code reader} on the current snapshot. The reader must not change it.
     *
     * @throws io.kms4j.KmsException (typed) when the store cannot be read
     */
    <T> T read(Function<Keyring, T> reader);

    /**
     * Applies {@code mutation} to a private copy of the current keyring and makes the copy current, durably,
     * unless the mutation throws (then nothing changes). Updates are serialized, across processes too.
     *
     * @throws io.kms4j.KmsException the mutation's own exception, or a typed error when the store cannot be
     *     written (the old state then stays current)
     */
    <T> T update(Function<Keyring, T> mutation);

    /** Releases files and locks. Idempotent; never throws. */
    @Override
    void close();
}
