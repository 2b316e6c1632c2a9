package io.kms4j.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.internal.MessageFormat;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams run in constant memory: 256 MiB are encrypted to a file and decrypted back in a JVM whose heap is far
 * smaller than the data. Surefire runs this class alone in its own execution ({@code large-stream-small-heap} in
 * {@code api/pom.xml}) with {@code -Xmx32m}; the test checks that limit is really in force.
 */
class EnvelopeLargeStreamTest {
    private static final long SIZE = 256L << 20;
    private static final int CHUNK = 8192;

    @Test
    void streams_256MiBUnder32MiBHeap_roundTripInConstantMemory(@TempDir Path dir) throws IOException {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap <= 48L << 20, "this test must run with a small heap, not " + (maxHeap >> 20) + " MiB");
        EncryptionContext context = EncryptionContext.of(Map.of("test", "large stream"));
        try (Kms kms = Fixtures.kms("alpha")) {
            EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().wrappingKey(kms, kms.createKey().arn())
                    .build();
            Path file = dir.resolve("large.k4e");
            byte[] chunk = new byte[CHUNK];
            try (OutputStream out = encryptor.encryptingStream(
                    new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), context)) {
                for (long i = 0; i < SIZE / CHUNK; i++) {
                    fill(chunk, i);
                    out.write(chunk);
                }
            }
            long header = EnvelopeHeader.parse(readHead(file)).length();
            assertEquals(header + MessageFormat.bodyLength(SIZE, EnvelopeEncryptor.DEFAULT_FRAME_LENGTH),
                    Files.size(file));

            byte[] expected = new byte[CHUNK];
            byte[] actual = new byte[CHUNK];
            long total = 0;
            try (InputStream in = encryptor.decryptor().decryptingStream(
                    new BufferedInputStream(Files.newInputStream(file), 1 << 16), context)) {
                for (long i = 0; ; i++) {
                    int n = in.readNBytes(actual, 0, CHUNK);
                    if (n == 0) {
                        break;
                    }
                    fill(expected, i);
                    assertTrue(Arrays.equals(expected, 0, n, actual, 0, n), "chunk " + i + " differs");
                    total += n;
                }
            }
            assertEquals(SIZE, total);
        }
    }

    /** The first 64 KiB of the file: enough for the header. */
    private static byte[] readHead(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(1 << 16);
        }
    }

    /** Chunk {@code index} of the plaintext: cheap to make, different at every position. */
    private static void fill(byte[] chunk, long index) {
        long x = index * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < chunk.length; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int j = 0; j < 8; j++) {
                chunk[i + j] = (byte) (x >>> (8 * j));
            }
        }
    }
}
