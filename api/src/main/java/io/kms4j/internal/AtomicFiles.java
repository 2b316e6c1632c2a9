package io.kms4j.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over the target
 * atomically, then fsync the directory. A crash at any point leaves either the old file or the new one, never
 * a torn one; at worst a stray temporary file, which {@link #removeStaleTemporaries(Path)} cleans up.
 *
 * <p>Not API. Thread safety: stateless; concurrent writers to one target need their own lock (the last rename
 * wins).
 */
public final class AtomicFiles {
    /** Owner read/write only: 0600. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private static final String TEMP_MARK = ".tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}, atomically and durably, with permissions 0600 where the
     * file system supports POSIX permissions.
     *
     * @throws IOException when the file could not be written; the old file, if any, is then unchanged
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Replaces {@code target} with {@code content} atomically; the new content is on disk before the rename.
     *
     * @param syncDirectory whether to fsync the directory after the rename, making the replacement itself
     *     durable. Without it a crash may bring back the previous (complete) file, which is fine for files that
     *     may lag, such as an audit log's anchor, and saves one fsync.
     * @throws IOException when the file could not be written; the old file, if any, is then unchanged
     */
    public static void write(Path target, byte[] content, boolean syncDirectory) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path temp = dir.resolve("." + absolute.getFileName() + TEMP_MARK + HexFormat.of().formatHex(suffix));
        boolean moved = false;
        try {
            createOwnerOnly(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            if (syncDirectory) {
                syncDirectory(dir);
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Creates an empty file readable and writable by its owner only (0600 on POSIX file systems). */
    public static void createOwnerOnly(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(path, attr);
        } else {
            Files.createFile(path);
        }
    }

    /** Creates the file with 0600 permissions if it does not exist yet. */
    public static void createOwnerOnlyIfAbsent(Path path) throws IOException {
        try {
            createOwnerOnly(path);
        } catch (FileAlreadyExistsException ignored) {
            // Another thread or process made it first; that is the state we wanted.
        }
    }

    /** Flushes a directory's entries (the rename) to disk; a no-op where the platform cannot open directories. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; NTFS renames are journaled there instead.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
    }

    /**
     * Deletes temporary files a crashed writer of {@code target} left behind. Call it while holding the
     * target's lock, so no live writer's temporary file is removed.
     */
    public static void removeStaleTemporaries(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = "." + absolute.getFileName() + TEMP_MARK;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(absolute.getParent(), prefix + "*")) {
            for (Path stale : stream) {
                Files.deleteIfExists(stale);
            }
        }
    }
}
