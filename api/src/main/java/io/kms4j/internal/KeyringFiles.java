package io.kms4j.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.KmsInternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * What the file-backed keyring stores (the local keystore, the PKCS#11 metadata file) share: running work under
 * their inter-process lock with file errors turned into typed kms4j errors, and telling whether another process
 * replaced the file since it was last read.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class KeyringFiles {
    private KeyringFiles() {
    }

    /** File work that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoAction<T> {
        /** Does the work. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding {@code lock}.
     *
     * @param what names the file in error messages, for example {@code "keystore /home/me/.kms4j/keystore.k4j"}
     * @throws AccessDeniedException when the file system refuses access
     * @throws KmsInternalException for any other I/O failure
     */
    public static <T> T locked(InterProcessLock lock, String what, IoAction<T> action) {
        try {
            return lock.withLock(action::run);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AccessDeniedException("no permission to use the " + what, e);
        } catch (IOException e) {
            throw new KmsInternalException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A value that changes whenever the file is replaced or rewritten: its file key (inode), modification time
     * and size. Atomic replacement gives a new inode, so even a same-size rewrite within one clock tick shows.
     *
     * @throws IOException when the file cannot be read, or has disappeared
     */
    public static Object stamp(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            throw new IOException(file.getFileName() + " has disappeared", e);
        }
    }
}
