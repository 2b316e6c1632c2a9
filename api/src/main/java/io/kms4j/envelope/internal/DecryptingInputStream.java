package io.kms4j.envelope.internal;

import io.kms4j.InvalidCiphertextException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an envelope message frame by frame in constant memory, returning a frame's plaintext only after its tag
 * has verified. A message that ends before its final frame, or has bytes after it, fails with
 * {@link InvalidCiphertextException} (unchecked, so it passes through {@link InputStream#read}); plaintext
 * already returned came from frames that each authenticated, in order, under this message's key.
 *
 * <p>Not API: {@code EnvelopeDecryptor.decryptingStream} returns it as an {@link InputStream}. Thread safety: not
 * thread-safe, like any input stream.
 */
public final class DecryptingInputStream extends InputStream {
    private final InputStream in;
    private final WipeableSecretKey key;
    private final FrameCipher cipher = FrameCipher.create();
    private final long messageNumber;
    private final int frameLength;
    private final byte[] frame;
    private final byte[] plaintext;
    private int position;
    private int available;
    private long frameIndex;
    private boolean finalFrameRead;
    private boolean closed;

    /**
     * @param in positioned just after the header
     * @param key the content key; the stream owns it and wipes it on close
     * @param messageNumber the header's message number, part of every frame's IV
     */
    public DecryptingInputStream(InputStream in, WipeableSecretKey key, long messageNumber, int frameLength) {
        this.in = in;
        this.key = key;
        this.messageNumber = messageNumber;
        this.frameLength = frameLength;
        this.frame = new byte[frameLength + MessageFormat.TAG_LENGTH];
        this.plaintext = new byte[frameLength];
    }

    @Override
    public int read() throws IOException {
        if (closed) {
            throw new IOException("the decrypting stream is closed");
        }
        while (available == 0) {
            if (finalFrameRead) {
                return -1;
            }
            readFrame();
        }
        available--;
        return plaintext[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("the decrypting stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (available == 0) {
            if (finalFrameRead) {
                return -1;
            }
            readFrame();
        }
        int n = Math.min(len, available);
        System.arraycopy(plaintext, position, b, off, n);
        position += n;
        available -= n;
        return n;
    }

    @Override
    public int available() {
        return available;
    }

    /** Wipes the key and buffers and closes the underlying stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        key.destroy();
        Arrays.fill(plaintext, (byte) 0);
        Arrays.fill(frame, (byte) 0);
        available = 0;
        in.close();
    }

    private void readFrame() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw MessageFormat.truncated();
        }
        if (frameIndex >= MessageFormat.MAX_FRAMES) {
            throw new InvalidCiphertextException("the envelope message has more frames than the format allows");
        }
        boolean last;
        int ciphertextLength;
        if (type == MessageFormat.REGULAR_FRAME) {
            last = false;
            ciphertextLength = frameLength;
        } else if (type == MessageFormat.FINAL_FRAME) {
            last = true;
            readFully(frame, 4);
            long length = MessageFormat.getUint32(frame, 0);
            if (length > frameLength) {
                throw new InvalidCiphertextException("the envelope message's final frame is longer than its frame "
                        + "length");
            }
            ciphertextLength = (int) length;
        } else {
            throw new InvalidCiphertextException("unknown envelope frame type " + type);
        }
        readFully(frame, ciphertextLength + MessageFormat.TAG_LENGTH);
        available = cipher.open(key, messageNumber, frameIndex, last, frame, 0,
                ciphertextLength + MessageFormat.TAG_LENGTH, plaintext, 0);
        position = 0;
        frameIndex++;
        if (last) {
            finalFrameRead = true;
            if (in.read() >= 0) {
                available = 0;
                Arrays.fill(plaintext, (byte) 0);
                throw new InvalidCiphertextException("the envelope message has bytes after its final frame");
            }
        }
    }

    private void readFully(byte[] b, int length) throws IOException {
        int n = in.readNBytes(b, 0, length);
        if (n < length) {
            throw MessageFormat.truncated();
        }
    }
}
