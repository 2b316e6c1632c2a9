package io.kms4j.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer for serializing secrets: unlike {@link java.io.ByteArrayOutputStream} it wipes each
 * outgrown array and, on {@link #close()}, its own, so no copy of the secret is left for the garbage
 * collector to keep around.
 *
 * <p>Not API. Thread safety: not thread-safe.
 */
public final class SecretBuffer extends OutputStream {
    private byte[] buffer;
    private int size;

    /** A buffer with the given initial capacity. */
    public SecretBuffer(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int b) {
        ensure(size + 1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(size + len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            byte[] bigger = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
            Arrays.fill(buffer, (byte) 0);
            buffer = bigger;
        }
    }

    /** A copy of the contents; the caller wipes it. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** The number of bytes written. */
    public int size() {
        return size;
    }

    /** Wipes the contents. */
    @Override
    public void close() {
        Arrays.fill(buffer, (byte) 0);
        size = 0;
    }
}
