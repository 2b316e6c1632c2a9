package io.kms4j.envelope.internal;

import io.kms4j.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes an envelope message frame by frame in constant memory: the header at once, then each frame as soon as
 * it is full and more plaintext follows (only then is it known not to be the last), and the final frame on
 * {@link #close()}.
 *
 * <p>Not API: {@code EnvelopeEncryptor.encryptingStream} returns it as an {@link OutputStream}. Thread safety:
 * not thread-safe, like any output stream.
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream out;
    private final WipeableSecretKey key;
    private final FrameCipher cipher = FrameCipher.create();
    private final byte[] tail = new byte[MessageFormat.TAIL_LENGTH];
    private final long messageNumber;
    private final int frameLength;
    private final long lengthBound;
    private final byte[] plaintext;
    private final byte[] frame;
    private int buffered;
    private long frameIndex;
    private long written;
    private boolean closed;
    private boolean failed;

    /**
     * Writes the header to {@code out}.
     *
     * @param dataKeySection the header from the magic through the commitment (it holds the frame length)
     * @param key the content key; the stream owns it and wipes it on close
     * @param lengthBound the most plaintext bytes allowed, or -1 for no bound
     * @throws IOException when writing the header fails
     */
    public EncryptingOutputStream(OutputStream out, byte[] dataKeySection, WipeableSecretKey key, long messageNumber,
                                  long lengthBound) throws IOException {
        int frameLength = (int) MessageFormat.getUint32(dataKeySection, MessageFormat.FRAME_LENGTH_OFFSET);
        this.out = out;
        this.key = key;
        this.messageNumber = messageNumber;
        this.frameLength = frameLength;
        this.lengthBound = lengthBound;
        this.plaintext = new byte[frameLength];
        this.frame = new byte[MessageFormat.FINAL_FRAME_OVERHEAD + frameLength];
        MessageFormat.putInt(tail, 0, (int) messageNumber);
        out.write(dataKeySection);
        out.write(tail);
    }

    @Override
    public void write(int b) throws IOException {
        requireOpen();
        checkBound(1);
        written++;
        if (buffered == frameLength) {
            emit(false);
        }
        plaintext[buffered++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        checkBound(len);
        written += len;
        while (len > 0) {
            if (buffered == frameLength) {
                emit(false); // more plaintext follows, so the full frame is not the last
            }
            int n = Math.min(len, frameLength - buffered);
            System.arraycopy(b, off, plaintext, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Flushes what has been written to {@code out}; a partly filled frame stays buffered until it is full. */
    @Override
    public void flush() throws IOException {
        requireOpen();
        out.flush();
    }

    /** Writes the final frame, wipes the key and buffers, and closes the underlying stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (OutputStream o = out) {
            if (!failed) {
                emit(true);
            }
            o.flush();
        } finally {
            key.destroy();
            Arrays.fill(plaintext, (byte) 0);
            Arrays.fill(frame, (byte) 0);
        }
    }

    private void emit(boolean last) throws IOException {
        if (frameIndex >= MessageFormat.MAX_FRAMES - 1 && !last) {
            failed = true;
            throw new ValidationException("the message has reached the format's limit of 2^32 frames");
        }
        int pos = 0;
        try {
            if (last) {
                frame[pos++] = MessageFormat.FINAL_FRAME;
                MessageFormat.putInt(frame, pos, buffered);
                pos += 4;
            } else {
                frame[pos++] = MessageFormat.REGULAR_FRAME;
            }
            pos += cipher.seal(key, messageNumber, frameIndex, last, plaintext, 0, buffered, frame, pos);
            out.write(frame, 0, pos);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        frameIndex++;
        buffered = 0;
    }

    private void checkBound(int len) {
        if (lengthBound >= 0 && written + len > lengthBound) {
            failed = true;
            throw new ValidationException("more than the declared " + lengthBound + " plaintext bytes were written "
                    + "to the encrypting stream");
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the encrypting stream is closed");
        }
        if (failed) {
            throw new IOException("the encrypting stream failed earlier; the message is incomplete");
        }
    }
}
