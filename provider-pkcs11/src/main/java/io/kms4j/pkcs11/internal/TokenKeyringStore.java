package io.kms4j.pkcs11.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KmsInternalException;
import io.kms4j.internal.AtomicFiles;
import io.kms4j.internal.InterProcessLock;
import io.kms4j.spi.support.Keyring;
import io.kms4j.spi.support.KeyringCodec;
import io.kms4j.spi.support.KeyringStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The PKCS#11 provider's key metadata (states, aliases, descriptions, rotation versions, dates, tombstones):
 * what a token cannot hold by itself through SunPKCS11's public API. It lives in one file,
 * {@code <state dir>/keyring.k4p}, sealed with AES-256-GCM by a key that never leaves the token
 * ({@link #SEAL_KEY_LABEL}), so the file can be neither read nor altered without the token and its PIN, and a
 * keyring made for one token is refused by another. Layout in {@code docs/FORMATS.md}; the reasons in
 * {@code docs/PKCS11.md}.
 *
 * <ul>
 *   <li>Processes sharing the token and the state directory agree: changes take an inter-process lock on
 *       {@code keyring.k4p.lock}, re-read what another process wrote, and replace the file atomically; reads
 *       notice a replaced file (inode, size, time) and reload it.
 *   <li>A keyring whose generation goes backwards while this process runs (a restored old copy) is refused.
 * </ul>
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class TokenKeyringStore implements KeyringStore {
    /** The label of the token key that seals keyring files. */
    public static final String SEAL_KEY_LABEL = "kms4j:keyring-seal";
    /** The keyring file's name in the state directory. */
    public static final String FILE_NAME = "keyring.k4p";

    static final byte[] MAGIC = {'K', '4', 'J', 'P', '1', '1', 'K', 'R'};
    static final int FORMAT_VERSION = 1;
    private static final int IV_LENGTH = 12;

    private final Path path;
    private final InterProcessLock lock;
    private final TokenConnection token;
    private final IntFunction<byte[]> random;

    private volatile Keyring current;
    private volatile Object stamp; // identifies the file version `current` was read from
    private volatile boolean closed;

    /**
     * Opens the keyring in {@code stateDirectory} (created 0700 when absent), making an empty one, and the
     * token's sealing key, on first use.
     *
     * @param random the source of the sealing IVs
     * @throws AccessDeniedException when the directory or file cannot be used for lack of rights
     * @throws KmsInternalException when the file is not a keyring of this token, or is corrupt
     */
    public TokenKeyringStore(Path stateDirectory, TokenConnection token, IntFunction<byte[]> random) {
        this.token = Objects.requireNonNull(token, "token");
        this.random = Objects.requireNonNull(random, "random");
        Path dir = stateDirectory.toAbsolutePath().normalize();
        this.path = dir.resolve(FILE_NAME);
        try {
            createPrivateDirectories(dir);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AccessDeniedException("no permission to create the PKCS#11 state directory " + dir, e);
        } catch (IOException e) {
            throw new KmsInternalException("cannot create the PKCS#11 state directory " + dir + ": "
                    + e.getMessage(), e);
        }
        this.lock = InterProcessLock.forFile(dir.resolve(FILE_NAME + ".lock"));
        locked(() -> {
            AtomicFiles.removeStaleTemporaries(path);
            if (Files.exists(path)) {
                load();
            } else {
                if (!token.hasKey(SEAL_KEY_LABEL)) {
                    token.createAesKey(SEAL_KEY_LABEL);
                }
                Keyring empty = new Keyring();
                write(empty);
                current = empty;
            }
            return null;
        });
    }

    /** The keyring file. */
    public Path path() {
        return path;
    }

    @Override
    public <T> T read(Function<Keyring, T> reader) {
        refreshIfChanged();
        return reader.apply(current);
    }

    @Override
    public <T> T update(Function<Keyring, T> mutation) {
        requireOpen();
        return locked(() -> {
            if (!Objects.equals(stamp, stampOf())) {
                load();
            }
            Keyring next = current.copy();
            T result = mutation.apply(next);
            next.setGeneration(next.generation() + 1);
            write(next);
            current = next;
            return result;
        });
    }

    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " is closed");
        }
    }

    private void refreshIfChanged() {
        requireOpen();
        Object now;
        try {
            now = stampOf();
        } catch (IOException e) {
            throw new KmsInternalException("cannot read the PKCS#11 keyring " + path + ": " + e.getMessage(), e);
        }
        if (!Objects.equals(now, stamp)) {
            locked(() -> {
                if (!Objects.equals(stamp, stampOf())) {
                    load();
                }
                return null;
            });
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(IoAction<T> action) {
        try {
            return lock.withLock(action::run);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AccessDeniedException("no permission to use the PKCS#11 keyring " + path, e);
        } catch (IOException e) {
            throw new KmsInternalException("PKCS#11 keyring " + path + ": " + e.getMessage(), e);
        }
    }

    private Object stampOf() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            throw new IOException("the keyring file has disappeared", e);
        }
    }

    /** Reads the file and opens it on the token; call with the lock held. */
    private void load() throws IOException {
        Object newStamp = stampOf();
        byte[] file = Files.readAllBytes(path);
        int headerLength = headerLength(file);
        byte[] header = Arrays.copyOf(file, headerLength);
        byte[] iv = Arrays.copyOfRange(file, headerLength - IV_LENGTH, headerLength);
        byte[] sealed = Arrays.copyOfRange(file, headerLength, file.length);
        if (!token.hasKey(SEAL_KEY_LABEL)) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " needs the sealing key "
                    + SEAL_KEY_LABEL + ", which is not on token '" + token.tokenLabel() + "'; the state directory "
                    + "belongs to another token");
        }
        byte[] payload;
        try {
            payload = token.openGcm(SEAL_KEY_LABEL, iv, header, sealed);
        } catch (InvalidCiphertextException e) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " failed authentication on token '"
                    + token.tokenLabel() + "': it was altered, or it belongs to another token", e);
        }
        Keyring keyring;
        try {
            keyring = KeyringCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " is unreadable: " + e.getMessage(), e);
        }
        Keyring previous = current;
        if (previous != null && keyring.generation() < previous.generation()) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " went back from generation "
                    + previous.generation() + " to " + keyring.generation() + "; an old copy was restored while "
                    + "kms4j was running, refusing to use it");
        }
        current = keyring;
        stamp = newStamp;
    }

    private int headerLength(byte[] file) {
        int fixed = MAGIC.length + 1 + 1;
        if (file.length < fixed || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new KmsInternalException(path + " is not a kms4j PKCS#11 keyring");
        }
        if (file[MAGIC.length] != FORMAT_VERSION) {
            throw new KmsInternalException(path + " has unsupported keyring format " + (file[MAGIC.length] & 0xFF));
        }
        int labelLength = file[MAGIC.length + 1] & 0xFF;
        int headerLength = fixed + labelLength + IV_LENGTH;
        if (file.length < headerLength + 16) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " is truncated");
        }
        return headerLength;
    }

    /** Seals on the token and writes atomically; call with the lock held. */
    private void write(Keyring keyring) throws IOException {
        byte[] label = token.tokenLabel().getBytes(StandardCharsets.UTF_8);
        if (label.length > 255) {
            label = Arrays.copyOf(label, 255);
        }
        byte[] iv = random.apply(IV_LENGTH);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 2 + label.length + IV_LENGTH);
        header.put(MAGIC).put((byte) FORMAT_VERSION).put((byte) label.length).put(label).put(iv);
        byte[] payload = KeyringCodec.encode(keyring);
        try {
            byte[] sealed = token.sealGcm(SEAL_KEY_LABEL, iv, header.array(), payload);
            byte[] file = Arrays.copyOf(header.array(), header.capacity() + sealed.length);
            System.arraycopy(sealed, 0, file, header.capacity(), sealed.length);
            AtomicFiles.write(path, file);
            stamp = stampOf();
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }
}
