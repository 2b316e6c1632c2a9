package io.kms4j.cli;

import io.kms4j.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An output file that appears only when complete: bytes go to a temporary file (0600) beside the target, which
 * is fsynced and renamed over the target by {@link #commit()}. A run that fails, or is interrupted (Ctrl-C,
 * SIGTERM: a shutdown hook deletes it), leaves no partial or plaintext file behind. Only a SIGKILL or a power
 * loss can leave the temporary {@code .NAME.tmp-*} file; the next command writing the same target removes it.
 */
final class SafeOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Thread cleanup;
    private boolean committed;

    private SafeOutput(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.cleanup = new Thread(this::deleteQuietly, "kms4j-remove-partial-output");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Starts writing {@code target}.
     *
     * @param overwrite whether an existing target may be replaced
     * @throws CliException when the target exists and {@code overwrite} is false
     */
    static SafeOutput create(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (!overwrite && Files.exists(absolute)) {
            throw new CliException(ExitCodes.IO, absolute + " exists; pass --overwrite to replace it");
        }
        AtomicFiles.removeStaleTemporaries(absolute);
        byte[] suffix = new byte[8];
        new SecureRandom().nextBytes(suffix);
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
        try {
            AtomicFiles.createOwnerOnly(temp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file collision at " + temp, e);
        }
        return new SafeOutput(absolute, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
    }

    /** The stream to write to; closing it does not commit. */
    OutputStream stream() {
        return new java.io.FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // committing or discarding is the owner's decision
            }
        };
    }

    /** Makes the output durable and puts it in place atomically. */
    void commit() throws IOException {
        channel.force(true);
        channel.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.syncDirectory(target.getParent());
        committed = true;
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteQuietly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down; the hook runs (or ran) anyway
        }
    }

    private void deleteQuietly() {
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the next run removes stale temporaries
        }
    }
}
