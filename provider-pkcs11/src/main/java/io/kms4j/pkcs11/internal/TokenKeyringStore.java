package io.kms4j.pkcs11.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KmsInternalException;
import io.kms4j.internal.AtomicFiles;
import io.kms4j.internal.InterProcessLock;
import io.kms4j.internal.KeyringFiles;
import io.kms4j.spi.support.Keyring;
import io.kms4j.spi.support.KeyringCodec;
import io.kms4j.spi.support.KeyringStore;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The PKCS#11 provider's key metadata (states, aliases, descriptions, rotation versions, dates, tombstones):
 * what a token cannot hold by itself through SunPKCS11's public API. It lives in one file,
 * {@code <state dir>/keyring.k4p}, sealed with AES-256-GCM by a key that never leaves the token, so the file can
 * be neither read nor altered without the token and its PIN, and a keyring made for one token is refused by
 * another. Layout in {@code docs/FORMATS.md}; the reasons in {@code docs/PKCS11.md}.
 *
 * <p>Each keyring has its own sealing key, labelled {@link #SEAL_KEY_PREFIX} plus a random suffix that the file
 * header records (authenticated). It is made while holding the keyring's lock when the file is first created,
 * so two processes creating keyrings in different state directories on one token at the same time can never
 * make two token keys with the same label.
 *
 * <ul>
 *   <li>Processes sharing the token and the state directory agree: changes take an inter-process lock on
 *       {@code keyring.k4p.lock}, re-read what another process wrote, bump a change counter and replace the file
 *       atomically. The counter lives in {@code keyring.k4p.changes}, which every process maps into memory, so a
 *       read notices another process's change with one memory load instead of a {@code stat} per call (a
 *       {@code stat} costs several microseconds, a noticeable share of a token operation). A reader that sees
 *       the counter move reloads under the lock, so it waits for the writer and reads the new file. Changes also
 *       compare the file's identity (inode, size, time) under the lock, so a file replaced behind kms4j's back is
 *       reloaded before it is changed.
 *   <li>A keyring whose generation goes backwards while this process runs (a restored old copy) is refused.
 * </ul>
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class TokenKeyringStore implements KeyringStore {
    /** Token keys that seal keyring files are labelled with this, then 16 random hex digits. */
    public static final String SEAL_KEY_PREFIX = "kms4j:keyring-seal:";
    /** The keyring file's name in the state directory. */
    public static final String FILE_NAME = "keyring.k4p";

    static final byte[] MAGIC = {'K', '4', 'J', 'P', '1', '1', 'K', 'R'};
    static final int FORMAT_VERSION = 1;
    private static final int IV_LENGTH = 12;
    /** Volatile access to the shared change counter (offset 0, big-endian, aligned in the mapping). */
    private static final VarHandle CHANGE_COUNT =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Path path;
    private final InterProcessLock lock;
    private final TokenConnection token;
    private final IntFunction<byte[]> random;

    private volatile String sealKeyLabel;
    private volatile Keyring current;
    private volatile Object stamp; // identifies the file version `current` was read from
    private volatile long seenChanges; // the change counter `current` corresponds to
    private final MappedByteBuffer changes; // 8 bytes: the shared change counter
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
        this.changes = locked(() -> mapChangeCounter(dir.resolve(FILE_NAME + ".changes")));
        locked(() -> {
            AtomicFiles.removeStaleTemporaries(path);
            if (Files.exists(path)) {
                load();
            } else {
                String label = SEAL_KEY_PREFIX + HexFormat.of().formatHex(random.apply(8));
                token.createAesKey(label);
                sealKeyLabel = label;
                Keyring empty = new Keyring();
                write(empty);
                current = empty;
                seenChanges = changeCount();
            }
            return null;
        });
    }

    /** The keyring file. */
    public Path path() {
        return path;
    }

    /** The label of the token key that seals this keyring. */
    public String sealKeyLabel() {
        return sealKeyLabel;
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
            if (changeCount() != seenChanges || !Objects.equals(stamp, stampOf())) {
                load();
            }
            Keyring next = current.copy();
            T result = mutation.apply(next);
            next.setGeneration(next.generation() + 1);
            // Bump before replacing the file: a reader that sees the new count waits for this lock, then reads
            // the new file; if this process dies in between, readers reload the old file, which is still right.
            long count = changeCount() + 1;
            CHANGE_COUNT.setVolatile(changes, 0, count);
            write(next);
            current = next;
            seenChanges = count;
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
        if (changeCount() != seenChanges) {
            locked(() -> {
                if (changeCount() != seenChanges) {
                    load();
                }
                return null;
            });
        }
    }

    private long changeCount() {
        return (long) CHANGE_COUNT.getVolatile(changes, 0);
    }

    /** Maps the 8-byte change counter file, creating it (0600, zero) when absent; call with the lock held. */
    private static MappedByteBuffer mapChangeCounter(Path file) throws IOException {
        AtomicFiles.createOwnerOnlyIfAbsent(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (channel.size() < Long.BYTES) {
                channel.write(ByteBuffer.allocate(Long.BYTES), 0);
                channel.force(true);
            }
            // The mapping stays valid after the channel is closed.
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
        }
    }

    private <T> T locked(KeyringFiles.IoAction<T> action) {
        return KeyringFiles.locked(lock, "PKCS#11 keyring " + path, action);
    }

    private Object stampOf() throws IOException {
        return KeyringFiles.stamp(path);
    }

    /** Reads the file and opens it on the token; call with the lock held. */
    private void load() throws IOException {
        long count = changeCount();
        Object newStamp = stampOf();
        byte[] file = Files.readAllBytes(path);
        Header parsed = parseHeader(file);
        byte[] header = Arrays.copyOf(file, parsed.length());
        byte[] iv = Arrays.copyOfRange(file, parsed.length() - IV_LENGTH, parsed.length());
        byte[] sealed = Arrays.copyOfRange(file, parsed.length(), file.length);
        if (!token.hasKey(parsed.sealKeyLabel())) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " was sealed by the key "
                    + parsed.sealKeyLabel() + " of token '" + parsed.tokenLabel() + "', which is not on token '"
                    + token.tokenLabel() + "': the state directory belongs to another token");
        }
        byte[] payload;
        try {
            payload = token.openGcm(parsed.sealKeyLabel(), iv, header, sealed);
        } catch (InvalidCiphertextException e) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " failed authentication on token '"
                    + token.tokenLabel() + "': it was altered", e);
        }
        Keyring keyring;
        try {
            keyring = KeyringCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " is unreadable: " + e.getMessage(), e);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
        Keyring previous = current;
        if (previous != null && keyring.generation() < previous.generation()) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " went back from generation "
                    + previous.generation() + " to " + keyring.generation() + "; an old copy was restored while "
                    + "kms4j was running, refusing to use it");
        }
        sealKeyLabel = parsed.sealKeyLabel();
        current = keyring;
        stamp = newStamp;
        seenChanges = count;
    }

    /** The parts of a keyring file's header. */
    private record Header(String tokenLabel, String sealKeyLabel, int length) {
    }

    private Header parseHeader(byte[] file) {
        if (file.length < MAGIC.length + 3 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new KmsInternalException(path + " is not a kms4j PKCS#11 keyring");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        in.position(MAGIC.length);
        int version = Byte.toUnsignedInt(in.get());
        if (version != FORMAT_VERSION) {
            throw new KmsInternalException(path + " has unsupported keyring format " + version);
        }
        try {
            String tokenLabel = readShortString(in, StandardCharsets.UTF_8);
            String sealLabel = readShortString(in, StandardCharsets.US_ASCII);
            if (!sealLabel.startsWith(SEAL_KEY_PREFIX)) {
                throw new KmsInternalException("the PKCS#11 keyring " + path + " names no sealing key");
            }
            int length = in.position() + IV_LENGTH;
            if (file.length < length + 16) {
                throw new KmsInternalException("the PKCS#11 keyring " + path + " is truncated");
            }
            return new Header(tokenLabel, sealLabel, length);
        } catch (java.nio.BufferUnderflowException e) {
            throw new KmsInternalException("the PKCS#11 keyring " + path + " is truncated", e);
        }
    }

    private static String readShortString(ByteBuffer in, java.nio.charset.Charset charset) {
        byte[] bytes = new byte[Byte.toUnsignedInt(in.get())];
        in.get(bytes);
        return new String(bytes, charset);
    }

    /** Seals on the token and writes atomically; call with the lock held. */
    private void write(Keyring keyring) throws IOException {
        byte[] tokenLabel = token.tokenLabel().getBytes(StandardCharsets.UTF_8); // at most 32 bytes
        byte[] sealLabel = sealKeyLabel.getBytes(StandardCharsets.US_ASCII);
        byte[] iv = random.apply(IV_LENGTH);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 3 + tokenLabel.length + sealLabel.length
                + IV_LENGTH);
        header.put(MAGIC).put((byte) FORMAT_VERSION).put((byte) tokenLabel.length).put(tokenLabel)
                .put((byte) sealLabel.length).put(sealLabel).put(iv);
        byte[] payload = KeyringCodec.encode(keyring);
        try {
            byte[] sealed = token.sealGcm(sealKeyLabel, iv, header.array(), payload);
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
