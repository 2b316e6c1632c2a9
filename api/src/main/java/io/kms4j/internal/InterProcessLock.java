package io.kms4j.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock that excludes other threads of this JVM and other processes, held on a lock file.
 *
 * <p>One instance exists per lock file per JVM ({@link #forFile}), and its channel stays open for the life of
 * the JVM: on POSIX systems closing any channel to a file drops every lock this JVM holds on it, so opening
 * and closing channels per use would silently release a lock held by another thread. The lock is reentrant
 * for the thread that holds it.
 *
 * <p>Not API. Thread safety: safe for concurrent use; that is its purpose.
 */
public final class InterProcessLock {
    private static final ConcurrentMap<Path, InterProcessLock> LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock threadLock = new ReentrantLock();
    private FileChannel channel; // guarded by threadLock
    private FileLock fileLock; // guarded by threadLock

    private InterProcessLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** The JVM-wide lock for a lock file (created, 0600, on first use). */
    public static InterProcessLock forFile(Path lockFile) {
        return LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), InterProcessLock::new);
    }

    /** Work done while holding the lock. */
    @FunctionalInterface
    public interface LockedAction<T> {
        /** Runs with the lock held. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the lock against other threads and other processes.
     *
     * @throws IOException when the lock file cannot be opened or locked, or the action fails
     */
    public <T> T withLock(LockedAction<T> action) throws IOException {
        threadLock.lock();
        try {
            boolean outermost = threadLock.getHoldCount() == 1;
            if (outermost) {
                acquireFileLock();
            }
            try {
                return action.run();
            } finally {
                if (outermost) {
                    releaseFileLock();
                }
            }
        } finally {
            threadLock.unlock();
        }
    }

    private void acquireFileLock() throws IOException {
        if (channel == null || !channel.isOpen()) {
            AtomicFiles.createOwnerOnlyIfAbsent(lockFile);
            channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        fileLock = channel.lock();
    }

    private void releaseFileLock() throws IOException {
        FileLock held = fileLock;
        fileLock = null;
        if (held != null && held.isValid()) {
            held.release();
        }
    }
}
