package io.kms4j.local.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.internal.AtomicFiles;
import io.kms4j.internal.InterProcessLock;
import io.kms4j.internal.KeyringFiles;
import io.kms4j.local.KdfParameters;
import io.kms4j.spi.support.Keyring;
import io.kms4j.spi.support.KeyringCodec;
import io.kms4j.spi.support.KeyringStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The local provider's keystore file: the whole keyring, key material included, encrypted with AES-256-GCM
 * under a key derived from a passphrase with Argon2id. Layout in {@code docs/FORMATS.md}.
 *
 * <ul>
 *   <li>Writes are atomic (temporary file, fsync, rename, directory fsync): a crash leaves the old or the new
 *       keystore, never a torn one.
 *   <li>Several processes may share one keystore: changes take an inter-process lock on {@code <file>.lock}
 *       and re-read what another process wrote first; reads notice a replaced file (new inode, size or time)
 *       and reload it.
 *   <li>The passphrase-derived key is derived once per salt, not per reload: Argon2id is deliberately slow.
 * </ul>
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class EncryptedKeystore implements KeyringStore {
    static final byte[] MAGIC = {'K', 'M', 'S', '4', 'J', 'K', 'S', 0};
    static final int FORMAT_VERSION = 1;
    static final int KDF_ARGON2ID = 1;
    static final int SALT_LENGTH = 16;
    static final int CHECK_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int HEADER_LENGTH = MAGIC.length + 2 + 1 + 4 + 4 + 1 + 1 + SALT_LENGTH + CHECK_LENGTH + NONCE_LENGTH;
    private static final byte[] ENCRYPTION_LABEL = "kms4j keystore v1 encryption key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECK_LABEL = "kms4j keystore v1 passphrase check".getBytes(StandardCharsets.US_ASCII);

    private static final System.Logger LOG = System.getLogger(EncryptedKeystore.class.getName());

    private final Path path;
    private final InterProcessLock lock;
    private final char[] passphrase;
    private final KdfParameters parametersForNewKeystores;
    private final SecureRandom random = new SecureRandom();

    // Derived from the passphrase for one salt and parameter set; replaced if another process re-keys the file.
    private volatile DerivedKeys derived;
    private volatile Keyring current;
    private volatile Object stamp; // identifies the file version `current` was read from
    private volatile boolean closed;

    private record DerivedKeys(byte[] salt, KdfParameters parameters, byte[] encryptionKey, byte[] check) {
    }

    /**
     * Opens the keystore at {@code path}, creating it (0600) when absent.
     *
     * @param passphrase copied; the copy is wiped on {@link #close()}
     * @throws AccessDeniedException when the passphrase is wrong or the file cannot be read for lack of rights
     * @throws KmsInternalException when the file is not a keystore or is corrupt
     */
    public EncryptedKeystore(Path path, char[] passphrase, KdfParameters parametersForNewKeystores) {
        if (Objects.requireNonNull(passphrase, "passphrase").length == 0) {
            throw new io.kms4j.ValidationException("the keystore passphrase must not be empty");
        }
        this.path = path.toAbsolutePath().normalize();
        this.lock = InterProcessLock.forFile(this.path.resolveSibling(this.path.getFileName() + ".lock"));
        this.passphrase = passphrase.clone();
        this.parametersForNewKeystores = Objects.requireNonNull(parametersForNewKeystores, "parameters");
        try {
            open();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        warnIfReadableByOthers();
    }

    private void open() {
        locked(() -> {
            AtomicFiles.removeStaleTemporaries(this.path);
            if (Files.exists(this.path)) {
                load();
            } else {
                Keyring empty = new Keyring();
                write(empty);
                current = empty;
            }
            return null;
        });
    }

    /** The keystore file. */
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
        Arrays.fill(passphrase, '\0');
        DerivedKeys d = derived;
        if (d != null) {
            Arrays.fill(d.encryptionKey(), (byte) 0);
        }
    }

    private void refreshIfChanged() {
        if (closed) {
            throw new KmsInternalException("the keystore " + path + " is closed");
        }
        Object now;
        try {
            now = stampOf();
        } catch (IOException e) {
            throw new KmsInternalException("cannot read the keystore " + path + ": " + e.getMessage(), e);
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

    private <T> T locked(KeyringFiles.IoAction<T> action) {
        return KeyringFiles.locked(lock, "keystore " + path, action);
    }

    private Object stampOf() throws IOException {
        return KeyringFiles.stamp(path);
    }

    /** Reads and decrypts the file; call with the lock held. */
    private void load() throws IOException {
        Object newStamp = stampOf();
        byte[] file = Files.readAllBytes(path);
        byte[] payload = null;
        try {
            payload = decrypt(file);
            Keyring keyring;
            try {
                keyring = KeyringCodec.decode(payload);
            } catch (IllegalArgumentException e) {
                throw new KmsInternalException("the keystore " + path + " holds an unreadable keyring: "
                        + e.getMessage(), e);
            }
            current = keyring;
            stamp = newStamp;
        } finally {
            if (payload != null) {
                Arrays.fill(payload, (byte) 0);
            }
        }
    }

    /** Encrypts and writes atomically; call with the lock held. */
    private void write(Keyring keyring) throws IOException {
        DerivedKeys keys = derived;
        if (keys == null) {
            byte[] salt = new byte[SALT_LENGTH];
            random.nextBytes(salt);
            keys = derive(salt, parametersForNewKeystores);
            derived = keys;
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) KDF_ARGON2ID)
                .putInt(keys.parameters().memoryKiB()).putInt(keys.parameters().iterations())
                .put((byte) keys.parameters().parallelism()).put((byte) SALT_LENGTH).put(keys.salt())
                .put(keys.check()).put(nonce);
        byte[] payload = KeyringCodec.encode(keyring);
        try {
            byte[] sealed = AesGcm.encrypt(new SecretKeySpec(keys.encryptionKey(), "AES"), nonce, 128,
                    header.array(), payload);
            byte[] file = Arrays.copyOf(header.array(), HEADER_LENGTH + sealed.length);
            System.arraycopy(sealed, 0, file, HEADER_LENGTH, sealed.length);
            AtomicFiles.write(path, file);
            stamp = stampOf();
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    private byte[] decrypt(byte[] file) {
        if (file.length < HEADER_LENGTH + 16 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new KmsInternalException(path + " is not a kms4j keystore, or it is truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        in.position(MAGIC.length);
        int version = Short.toUnsignedInt(in.getShort());
        int kdf = Byte.toUnsignedInt(in.get());
        if (version != FORMAT_VERSION || kdf != KDF_ARGON2ID) {
            throw new KmsInternalException("the keystore " + path + " has unsupported format " + version
                    + " or KDF " + kdf);
        }
        KdfParameters parameters;
        try {
            parameters = new KdfParameters(in.getInt(), in.getInt(), Byte.toUnsignedInt(in.get()));
        } catch (IllegalArgumentException e) {
            throw new KmsInternalException("the keystore " + path + " has corrupt KDF parameters", e);
        }
        if (Byte.toUnsignedInt(in.get()) != SALT_LENGTH) {
            throw new KmsInternalException("the keystore " + path + " has a corrupt header");
        }
        byte[] salt = new byte[SALT_LENGTH];
        in.get(salt);
        byte[] check = new byte[CHECK_LENGTH];
        in.get(check);
        byte[] nonce = new byte[NONCE_LENGTH];
        in.get(nonce);
        DerivedKeys keys = derived;
        if (keys == null || !Arrays.equals(keys.salt(), salt) || !keys.parameters().equals(parameters)) {
            keys = derive(salt, parameters);
        }
        if (!MessageDigest.isEqual(keys.check(), check)) {
            throw new AccessDeniedException("wrong passphrase for the keystore " + path);
        }
        derived = keys;
        byte[] header = Arrays.copyOf(file, HEADER_LENGTH);
        byte[] sealed = Arrays.copyOfRange(file, HEADER_LENGTH, file.length);
        try {
            return AesGcm.decrypt(new SecretKeySpec(keys.encryptionKey(), "AES"), nonce, 128, header, sealed);
        } catch (KmsException e) {
            throw new KmsInternalException("the keystore " + path + " is corrupt: it failed authentication", e);
        }
    }

    private DerivedKeys derive(byte[] salt, KdfParameters parameters) {
        byte[] password = toUtf8(passphrase);
        byte[] master = new byte[32];
        try {
            Argon2Parameters argon = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt)
                    .withMemoryAsKB(parameters.memoryKiB())
                    .withIterations(parameters.iterations())
                    .withParallelism(parameters.parallelism())
                    .build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(argon);
            generator.generateBytes(password, master);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] encryptionKey = mac.doFinal(ENCRYPTION_LABEL);
            byte[] check = Arrays.copyOf(mac.doFinal(CHECK_LABEL), CHECK_LENGTH);
            return new DerivedKeys(salt.clone(), parameters, encryptionKey, check);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(master, (byte) 0);
        }
    }

    private static byte[] toUtf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = Arrays.copyOf(encoded.array(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }

    private void warnIfReadableByOthers() {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(System.Logger.Level.WARNING, "the keystore " + path + " is readable by other users; "
                        + "it should be 0600");
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
