package io.kms4j.spi.support;

import io.kms4j.AliasListEntry;
import io.kms4j.AlreadyExistsException;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.DisabledException;
import io.kms4j.EncryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.InvalidKeyUsageException;
import io.kms4j.InvalidMarkerException;
import io.kms4j.KeyIdentifier;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUnavailableException;
import io.kms4j.KeyUsage;
import io.kms4j.KmsInternalException;
import io.kms4j.KmsInvalidSignatureException;
import io.kms4j.KmsInvalidStateException;
import io.kms4j.MessageType;
import io.kms4j.NotFoundException;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.RotationType;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.VerifyResult;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderInfo;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The shared engine of providers that keep key metadata themselves and do AES-256-GCM on some backend: the
 * local provider (software keys) and the PKCS#11 provider (keys on a token). It implements every
 * {@link KmsProvider} operation once — key states, aliases, deletion windows, rotation with versions,
 * pagination, the ciphertext blob — so that the backends differ only in where key material lives and who runs
 * AES-GCM. Subclasses implement the few {@code protected abstract} hooks.
 *
 * <h2>Semantics (as AWS KMS)</h2>
 * <ul>
 *   <li>Only enabled keys encrypt, decrypt and make data keys; disabled keys fail with
 *       {@link DisabledException}, keys pending deletion with {@link KmsInvalidStateException}.
 *   <li>Cancelling a deletion leaves the key disabled. When a deletion window ends, the key, its aliases and
 *       all its versions' material are destroyed, and a tombstone remains so its ciphertexts are reported as
 *       made by a deleted key ({@link NotFoundException}).
 *   <li>Rotation adds a version; encryption uses the newest, decryption the one the blob names.
 *   <li>Deletions and automatic rotations fall due lazily, on the first call at or after their time, by the
 *       provider's clock.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use when the store and the hooks are; reads run in parallel on
 * immutable snapshots, and changes are serialized by the store.
 */
public abstract class ManagedKeyProvider implements KmsProvider {
    private static final String KEYS_MARKER = "kms4j-keys:";
    private static final String ALIASES_MARKER = "kms4j-aliases:";

    /** The keyring's store. */
    protected final KeyringStore store;
    /** The clock deletion windows and rotation periods are measured with. */
    protected final Clock clock;
    private final SecureRandom random;

    /**
     * @param store where keys and aliases are kept
     * @param clock the provider's time
     */
    protected ManagedKeyProvider(KeyringStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = newDrbg();
    }

    // ---------------------------------------------------------------- hooks

    /**
     * Makes the material of a new key version: the key itself, or a reference to a key made on the backend.
     * The returned array is copied into the keyring and then wiped.
     *
     * @throws io.kms4j.KmsException (typed) when the backend cannot make the key
     */
    protected abstract byte[] createKeyMaterial(String keyId, int version, KeySpec keySpec);

    /** Destroys a key version's material on the backend; called after the keyring no longer names it. */
    protected abstract void destroyKeyMaterial(String keyId, KeyVersionRecord version);

    /**
     * AES-256-GCM encryption with a 128-bit tag.
     *
     * @return the ciphertext followed by the tag
     */
    protected abstract byte[] sealGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad,
                                      byte[] plaintext);

    /**
     * AES-256-GCM decryption with a 128-bit tag. The input holds at least the tag (the blob parser checks).
     *
     * @return the plaintext; the caller wipes it
     * @throws InvalidCiphertextException when authentication fails
     */
    protected abstract byte[] openGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad,
                                      byte[] ciphertextAndTag);

    /** The full identifier of a key, for example {@code local:key/<id>}. */
    protected abstract String keyArn(String keyId);

    /** The full identifier of an alias. */
    protected abstract String aliasArn(String aliasName);

    /**
     * Reads one of this provider's own URIs.
     *
     * @return a {@link KeyIdentifier.Kind#KEY_ID} or {@link KeyIdentifier.Kind#ALIAS_NAME} identifier, or null
     *     when the URI is not this provider's
     */
    protected abstract KeyIdentifier parseOwnUri(String uri);

    /**
     * Signs a digest with the private half of an asymmetric key version. The base class has already checked
     * the key's state and usage, that the algorithm fits the key's spec, and that {@code digest} is exactly
     * {@link SigningAlgorithm#digestLength()} bytes; a RAW message has been hashed with the algorithm's digest.
     *
     * @return the signature: DER-encoded (r, s) for ECDSA, the RSA signature block for RSA
     * @implSpec The default refuses; providers that override it also override {@link #verifyDigest} and
     *     {@link #publicKeyDer}, and claim {@link io.kms4j.spi.ProviderInfo.Capability#SIGN_VERIFY} (which is what
     *     lets CreateKey make asymmetric keys; see {@link #supportsKeySpec}).
     */
    protected byte[] signDigest(String keyId, KeyVersionRecord version, KeySpec keySpec,
                                SigningAlgorithm algorithm, byte[] digest) {
        throw new UnsupportedKmsOperationException(info().name() + " cannot sign");
    }

    /**
     * Verifies a signature over a digest with an asymmetric key version, checked as for {@link #signDigest}.
     *
     * @return whether the signature is valid; false (not an exception) for a malformed signature too
     * @implSpec The default refuses, as {@link #signDigest} does.
     */
    protected boolean verifyDigest(String keyId, KeyVersionRecord version, KeySpec keySpec,
                                   SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        throw new UnsupportedKmsOperationException(info().name() + " cannot verify signatures");
    }

    /**
     * The public half of an asymmetric key version, as a DER-encoded X.509 SubjectPublicKeyInfo.
     *
     * @implSpec The default refuses, as {@link #signDigest} does.
     */
    protected byte[] publicKeyDer(String keyId, KeyVersionRecord version, KeySpec keySpec) {
        throw new UnsupportedKmsOperationException(info().name() + " has no asymmetric keys");
    }

    /**
     * Whether keys of this spec can be made: {@link KeySpec#SYMMETRIC_DEFAULT} always, the asymmetric specs when
     * the provider claims {@link io.kms4j.spi.ProviderInfo.Capability#SIGN_VERIFY}, so the claim and what CreateKey
     * accepts cannot disagree. Override only to refuse some specs a signing backend cannot make.
     */
    protected boolean supportsKeySpec(KeySpec spec) {
        return spec.isSymmetric() || info().has(ProviderInfo.Capability.SIGN_VERIFY);
    }

    /** The provider's 256-bit DRBG, for subclasses that generate keys with the JCA. */
    protected final SecureRandom secureRandom() {
        return random;
    }

    /** Random bytes for data keys, IVs and GenerateRandom: a 256-bit DRBG by default. */
    protected byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    // ---------------------------------------------------------------- key management

    @Override
    public KeyMetadata createKey(CreateKeyRequest request) {
        if (!supportsKeySpec(request.keySpec())) {
            throw new UnsupportedKmsOperationException(info().name() + " cannot create " + request.keySpec()
                    + " keys");
        }
        String keyId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        byte[] material = createKeyMaterial(keyId, 1, request.keySpec());
        KeyVersionRecord first;
        try {
            first = new KeyVersionRecord(1, now, null, material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
        ManagedKey key = new ManagedKey(keyId, now, request.description(), request.keyUsage(), request.keySpec(),
                first);
        try {
            store.update(k -> {
                k.putKey(key);
                return null;
            });
        } catch (RuntimeException e) {
            destroyQuietly(keyId, first);
            throw e;
        }
        return metadata(key);
    }

    @Override
    public KeyMetadata describeKey(KeyIdentifier id) {
        maintain();
        return store.read(k -> metadata(resolve(k, id)));
    }

    @Override
    public Page<KeyListEntry> listKeys(int limit, String marker) {
        maintain();
        String after = decodeMarker(marker, KEYS_MARKER);
        return store.read(k -> {
            List<String> ids = new ArrayList<>();
            for (ManagedKey key : k.keys()) {
                if (after == null || key.keyId().compareTo(after) > 0) {
                    ids.add(key.keyId());
                }
            }
            ids.sort(null);
            List<KeyListEntry> page = new ArrayList<>();
            for (int i = 0; i < ids.size() && i < limit; i++) {
                page.add(new KeyListEntry(ids.get(i), keyArn(ids.get(i))));
            }
            String next = ids.size() > limit ? encodeMarker(KEYS_MARKER, ids.get(limit - 1)) : null;
            return new Page<>(page, next);
        });
    }

    @Override
    public String createAlias(String aliasName, KeyIdentifier target) {
        maintain();
        return store.update(k -> {
            if (k.alias(aliasName) != null) {
                throw new AlreadyExistsException("alias " + aliasName + " already exists");
            }
            ManagedKey key = resolve(k, target);
            k.putAlias(new Keyring.AliasRecord(aliasName, key.keyId(), clock.instant()));
            return keyArn(key.keyId());
        });
    }

    @Override
    public String updateAlias(String aliasName, KeyIdentifier target) {
        maintain();
        return store.update(k -> {
            Keyring.AliasRecord existing = k.alias(aliasName);
            if (existing == null) {
                throw new NotFoundException("alias " + aliasName + " does not exist");
            }
            ManagedKey key = resolve(k, target);
            k.putAlias(new Keyring.AliasRecord(aliasName, key.keyId(), existing.creationDate()));
            return keyArn(key.keyId());
        });
    }

    @Override
    public String deleteAlias(String aliasName) {
        return store.update(k -> {
            Keyring.AliasRecord removed = k.removeAlias(aliasName);
            if (removed == null) {
                throw new NotFoundException("alias " + aliasName + " does not exist");
            }
            return keyArn(removed.targetKeyId());
        });
    }

    @Override
    public Page<AliasListEntry> listAliases(KeyIdentifier id, int limit, String marker) {
        maintain();
        String after = decodeMarker(marker, ALIASES_MARKER);
        return store.read(k -> {
            String keyId = id == null ? null : resolve(k, id).keyId();
            List<AliasListEntry> page = new ArrayList<>();
            String next = null;
            Map<String, Keyring.AliasRecord> tail = after == null ? k.aliasesByName()
                    : k.aliasesByName().tailMap(after, false);
            for (Keyring.AliasRecord alias : tail.values()) {
                if (keyId != null && !alias.targetKeyId().equals(keyId)) {
                    continue;
                }
                if (page.size() == limit) {
                    next = encodeMarker(ALIASES_MARKER, page.get(limit - 1).aliasName());
                    break;
                }
                page.add(new AliasListEntry(alias.name(), aliasArn(alias.name()), alias.targetKeyId()));
            }
            return new Page<>(page, next);
        });
    }

    @Override
    public String enableKey(KeyIdentifier id) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            requireNotPendingDeletion(key);
            key.setState(KeyState.ENABLED, null);
            return keyArn(key.keyId());
        });
    }

    @Override
    public String disableKey(KeyIdentifier id) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            requireNotPendingDeletion(key);
            key.setState(KeyState.DISABLED, null);
            return keyArn(key.keyId());
        });
    }

    @Override
    public KeyMetadata scheduleKeyDeletion(KeyIdentifier id, int pendingWindowInDays) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            requireNotPendingDeletion(key);
            key.setState(KeyState.PENDING_DELETION, clock.instant().plus(Duration.ofDays(pendingWindowInDays)));
            return metadata(key);
        });
    }

    @Override
    public String cancelKeyDeletion(KeyIdentifier id) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            if (key.state() != KeyState.PENDING_DELETION) {
                throw new KmsInvalidStateException("key " + key.keyId() + " is " + key.state().awsName()
                        + ", not pending deletion");
            }
            key.setState(KeyState.DISABLED, null);
            return keyArn(key.keyId());
        });
    }

    @Override
    public String enableKeyRotation(KeyIdentifier id, int rotationPeriodInDays) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            requireSymmetricForRotation(key);
            requireUsable(key);
            key.setRotation(true, rotationPeriodInDays, clock.instant().plus(Duration.ofDays(rotationPeriodInDays)));
            return keyArn(key.keyId());
        });
    }

    @Override
    public String disableKeyRotation(KeyIdentifier id) {
        maintain();
        return store.update(k -> {
            ManagedKey key = resolve(k, id);
            requireSymmetricForRotation(key);
            requireUsable(key);
            key.setRotation(false, 0, null);
            return keyArn(key.keyId());
        });
    }

    @Override
    public KeyRotationStatus getKeyRotationStatus(KeyIdentifier id) {
        maintain();
        return store.read(k -> {
            ManagedKey key = resolve(k, id);
            return new KeyRotationStatus(key.keyId(), key.rotationEnabled(), key.rotationPeriodInDays(),
                    key.nextRotationDate());
        });
    }

    @Override
    public KeyRotation rotateKeyOnDemand(KeyIdentifier id) {
        maintain();
        String keyId = store.read(k -> resolve(k, id).keyId());
        return store.update(k -> {
            ManagedKey key = resolve(k, KeyIdentifier.of(keyId));
            requireSymmetricForRotation(key);
            requireUsable(key);
            return rotate(key, RotationType.ON_DEMAND);
        });
    }

    @Override
    public List<KeyRotation> listKeyRotations(KeyIdentifier id) {
        maintain();
        return store.read(k -> {
            ManagedKey key = resolve(k, id);
            List<KeyRotation> rotations = new ArrayList<>();
            for (KeyVersionRecord v : key.versions()) {
                if (v.rotationType() != null) {
                    rotations.add(new KeyRotation(key.keyId(), v.number(), v.createdAt(), v.rotationType()));
                }
            }
            return rotations;
        });
    }

    // ---------------------------------------------------------------- cryptography

    @Override
    public EncryptResult encrypt(KeyIdentifier id, byte[] plaintext, EncryptionContext context) {
        maintain();
        return store.read(k -> {
            ManagedKey key = resolve(k, id);
            requireUsable(key);
            requireEncryptionKey(key);
            return EncryptResult.of(seal(key, plaintext, context), keyArn(key.keyId()));
        });
    }

    @Override
    public DecryptResult decrypt(byte[] ciphertextBlob, EncryptionContext context, KeyIdentifier expectedKey) {
        CiphertextBlob blob = CiphertextBlob.parse(ciphertextBlob);
        maintain();
        return store.read(k -> {
            ManagedKey key = k.key(blob.keyId());
            if (key == null) {
                Instant deletedAt = k.deletedAt(blob.keyId());
                if (deletedAt != null) {
                    throw new NotFoundException("the key that made this ciphertext, " + blob.keyId()
                            + ", was deleted at " + deletedAt);
                }
                throw new InvalidCiphertextException("the ciphertext names no key of this provider");
            }
            if (expectedKey != null) {
                ManagedKey expected = resolve(k, expectedKey);
                if (!expected.keyId().equals(key.keyId())) {
                    throw new IncorrectKeyException("the ciphertext was made under another key than "
                            + expectedKey.value());
                }
            }
            requireUsable(key);
            requireEncryptionKey(key);
            KeyVersionRecord version = key.version(blob.keyVersion());
            if (version == null) {
                throw new InvalidCiphertextException("the ciphertext names a version of key " + key.keyId()
                        + " that does not exist");
            }
            byte[] plaintext = openGcm(key.keyId(), version, blob.iv(), blob.aad(context), blob.ciphertextAndTag());
            try {
                return DecryptResult.of(plaintext, keyArn(key.keyId()));
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    @Override
    public DataKey generateDataKey(KeyIdentifier id, DataKeySpec keySpec, int numberOfBytes,
                                   EncryptionContext context) {
        maintain();
        return store.read(k -> {
            ManagedKey key = resolve(k, id);
            requireUsable(key);
            requireEncryptionKey(key);
            byte[] dataKey = randomBytes(numberOfBytes);
            try {
                return DataKey.of(dataKey, seal(key, dataKey, context), keyArn(key.keyId()));
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        });
    }

    @Override
    public byte[] generateRandom(int numberOfBytes) {
        return randomBytes(numberOfBytes);
    }

    // ---------------------------------------------------------------- signatures

    @Override
    public SignResult sign(KeyIdentifier id, byte[] message, MessageType messageType, SigningAlgorithm algorithm) {
        maintain();
        return store.read(k -> {
            ManagedKey key = signingKey(k, id, algorithm);
            byte[] digest = digestOf(message, messageType, algorithm);
            byte[] signature = signDigest(key.keyId(), key.currentVersion(), key.keySpec(), algorithm, digest);
            return SignResult.of(keyArn(key.keyId()), signature, algorithm);
        });
    }

    @Override
    public VerifyResult verify(KeyIdentifier id, byte[] message, MessageType messageType, byte[] signature,
                               SigningAlgorithm algorithm) {
        maintain();
        return store.read(k -> {
            ManagedKey key = signingKey(k, id, algorithm);
            byte[] digest = digestOf(message, messageType, algorithm);
            if (!verifyDigest(key.keyId(), key.currentVersion(), key.keySpec(), algorithm, digest, signature)) {
                throw new KmsInvalidSignatureException("the signature is not valid for this message under key "
                        + key.keyId() + " with " + algorithm);
            }
            return new VerifyResult(keyArn(key.keyId()), algorithm);
        });
    }

    @Override
    public PublicKeyResult getPublicKey(KeyIdentifier id) {
        maintain();
        return store.read(k -> {
            ManagedKey key = resolve(k, id);
            requireUsable(key);
            if (key.keySpec().isSymmetric()) {
                throw new UnsupportedKmsOperationException("key " + key.keyId() + " is symmetric; it has no public "
                        + "key");
            }
            return PublicKeyResult.of(keyArn(key.keyId()), publicKeyDer(key.keyId(), key.currentVersion(),
                    key.keySpec()), key.keySpec(), key.keyUsage());
        });
    }

    @Override
    public void close() {
        store.close();
    }

    // ---------------------------------------------------------------- internals

    private byte[] seal(ManagedKey key, byte[] plaintext, EncryptionContext context) {
        KeyVersionRecord version = key.currentVersion();
        byte[] header = CiphertextBlob.header(key.keyId(), version.number(), randomBytes(CiphertextBlob.IV_LENGTH));
        byte[] iv = Arrays.copyOfRange(header, header.length - CiphertextBlob.IV_LENGTH, header.length);
        byte[] aad = CiphertextBlob.aad(header, header.length, context);
        return CiphertextBlob.assemble(header, sealGcm(key.keyId(), version, iv, aad, plaintext));
    }

    /** Must run inside {@link KeyringStore#update}. */
    private KeyRotation rotate(ManagedKey key, RotationType type) {
        Instant now = clock.instant();
        int number = key.versions().size() + 1;
        byte[] material = createKeyMaterial(key.keyId(), number, key.keySpec());
        try {
            key.addVersion(new KeyVersionRecord(number, now, type, material));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
        return new KeyRotation(key.keyId(), number, now, type);
    }

    /**
     * Completes deletions whose window has ended and rotations that fell due. Constant time when nothing is
     * due, which is almost always.
     */
    protected final void maintain() {
        Instant now = clock.instant();
        Instant due = store.read(Keyring::earliestDueDate);
        if (due == null || due.isAfter(now)) {
            return;
        }
        List<Object[]> destroyed = store.update(k -> {
            List<Object[]> gone = new ArrayList<>();
            for (ManagedKey key : List.copyOf(k.keys())) {
                if (key.state() == KeyState.PENDING_DELETION && !key.deletionDate().isAfter(now)) {
                    k.removeKey(key.keyId(), now);
                    for (KeyVersionRecord v : key.versions()) {
                        gone.add(new Object[] {key.keyId(), v});
                    }
                } else if (key.rotationEnabled() && !key.nextRotationDate().isAfter(now)) {
                    rotate(key, RotationType.AUTOMATIC);
                    key.setRotation(true, key.rotationPeriodInDays(),
                            now.plus(Duration.ofDays(key.rotationPeriodInDays())));
                }
            }
            return gone;
        });
        for (Object[] d : destroyed) {
            destroyQuietly((String) d[0], (KeyVersionRecord) d[1]);
        }
    }

    private void destroyQuietly(String keyId, KeyVersionRecord version) {
        try {
            destroyKeyMaterial(keyId, version);
        } catch (RuntimeException e) {
            System.getLogger(ManagedKeyProvider.class.getName()).log(System.Logger.Level.WARNING,
                    "could not destroy material of key " + keyId + " version " + version.number(), e);
        }
    }

    /** Finds a key by any identifier form, or throws {@link NotFoundException}. */
    protected final ManagedKey resolve(Keyring k, KeyIdentifier id) {
        switch (id.kind()) {
            case KEY_ID: {
                ManagedKey key = k.key(id.value());
                if (key == null) {
                    Instant deletedAt = k.deletedAt(id.value());
                    throw new NotFoundException(deletedAt == null ? "key " + id.value() + " does not exist"
                            : "key " + id.value() + " was deleted at " + deletedAt);
                }
                return key;
            }
            case ALIAS_NAME: {
                Keyring.AliasRecord alias = k.alias(id.value());
                if (alias == null) {
                    throw new NotFoundException("alias " + id.value() + " does not exist");
                }
                return resolve(k, KeyIdentifier.of(alias.targetKeyId()));
            }
            case URI: {
                KeyIdentifier own = parseOwnUri(id.value());
                if (own == null || own.kind() == KeyIdentifier.Kind.URI || own.kind() == KeyIdentifier.Kind.INVALID) {
                    throw new NotFoundException(id.value() + " is not a key of " + info().name());
                }
                return resolve(k, own);
            }
            default:
                throw new NotFoundException("invalid key id");
        }
    }

    /** The metadata AWS's DescribeKey would report. */
    protected final KeyMetadata metadata(ManagedKey key) {
        return new KeyMetadata(key.keyId(), keyArn(key.keyId()), key.creationDate(), key.description(),
                key.keyUsage(), key.keySpec(), key.state(), key.deletionDate());
    }

    private static void requireUsable(ManagedKey key) {
        switch (key.state()) {
            case ENABLED:
                return;
            case DISABLED:
                throw new DisabledException("key " + key.keyId() + " is disabled");
            case PENDING_DELETION:
                throw new KmsInvalidStateException("key " + key.keyId() + " is pending deletion");
            default:
                throw new KeyUnavailableException("key " + key.keyId() + " is " + key.state().awsName());
        }
    }

    private static void requireNotPendingDeletion(ManagedKey key) {
        if (key.state() == KeyState.PENDING_DELETION) {
            throw new KmsInvalidStateException("key " + key.keyId() + " is pending deletion");
        }
    }

    private static void requireEncryptionKey(ManagedKey key) {
        if (key.keyUsage() != KeyUsage.ENCRYPT_DECRYPT || !key.keySpec().isSymmetric()) {
            throw new InvalidKeyUsageException("key " + key.keyId() + " is a " + key.keySpec() + " key for "
                    + key.keyUsage() + ", not a symmetric encryption key");
        }
    }

    /** The usable signing key {@code id} names, checked to sign with {@code algorithm}. */
    private ManagedKey signingKey(Keyring k, KeyIdentifier id, SigningAlgorithm algorithm) {
        ManagedKey key = resolve(k, id);
        requireUsable(key);
        requireSigningKey(key, algorithm);
        return key;
    }

    private static void requireSigningKey(ManagedKey key, SigningAlgorithm algorithm) {
        if (key.keyUsage() != KeyUsage.SIGN_VERIFY) {
            throw new InvalidKeyUsageException("key " + key.keyId() + " is a " + key.keySpec() + " key for "
                    + key.keyUsage() + ", not a signing key");
        }
        if (!algorithm.fits(key.keySpec())) {
            throw new InvalidKeyUsageException("key " + key.keyId() + " is a " + key.keySpec() + " key; it signs with "
                    + SigningAlgorithm.forKeySpec(key.keySpec()) + ", not " + algorithm);
        }
    }

    /** The digest the hooks sign: the message itself when it is one (its length was checked by Kms). */
    private static byte[] digestOf(byte[] message, MessageType messageType, SigningAlgorithm algorithm) {
        if (messageType == MessageType.DIGEST) {
            return message.clone();
        }
        try {
            return MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(message);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new KmsInternalException("this JDK has no " + algorithm.digestAlgorithm(), e);
        }
    }

    private static void requireSymmetricForRotation(ManagedKey key) {
        if (!key.keySpec().isSymmetric()) {
            throw new UnsupportedKmsOperationException("key " + key.keyId() + " is asymmetric; only symmetric keys "
                    + "rotate");
        }
    }

    private static String encodeMarker(String prefix, String last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + last).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker, String prefix) {
        if (marker == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (decoded.startsWith(prefix)) {
                return decoded.substring(prefix.length());
            }
        } catch (IllegalArgumentException ignored) {
            // fall through: not one of our markers
        }
        throw new InvalidMarkerException("the marker was not issued by this listing");
    }

    private static SecureRandom newDrbg() {
        try {
            // 256-bit Hash_DRBG seeded from the OS, reseeding on its own schedule. Prediction resistance on
            // every call (PR_AND_RESEED) would read OS entropy for each IV: measured at 20-70 us per draw here.
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no DRBG SecureRandom", e);
        }
    }
}
