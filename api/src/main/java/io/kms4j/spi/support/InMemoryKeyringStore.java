package io.kms4j.spi.support;

import java.util.function.Function;

/**
 * A keyring that lives only in this JVM: for tests and throwaway development.
 *
 * <p>Thread safety: safe for concurrent use; updates are serialized, reads see the last committed snapshot.
 */
public final class InMemoryKeyringStore implements KeyringStore {
    private volatile Keyring current = new Keyring();

    @Override
    public <T> T read(Function<Keyring, T> reader) {
        return reader.apply(current);
    }

    @Override
    public synchronized <T> T update(Function<Keyring, T> mutation) {
        Keyring next = current.copy();
        T result = mutation.apply(next);
        next.setGeneration(next.generation() + 1);
        current = next;
        return result;
    }

    @Override
    public void close() {
    }
}
