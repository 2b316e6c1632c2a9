package io.kms4j.local;

import io.kms4j.KeyIdentifier;
import io.kms4j.KeySpec;
import io.kms4j.ValidationException;
import io.kms4j.SigningAlgorithm;
import io.kms4j.local.internal.AesGcm;
import io.kms4j.local.internal.AsymmetricKeyMaterial;
import io.kms4j.local.internal.DigestSigner;
import io.kms4j.local.internal.EncryptedKeystore;
import io.kms4j.spi.ProviderInfo;
import io.kms4j.spi.support.InMemoryKeyringStore;
import io.kms4j.spi.support.KeyVersionRecord;
import io.kms4j.spi.support.KeyringStore;
import io.kms4j.spi.support.ManagedKeyProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dev-only local provider: a software emulation of an HSM for offline development and tests.
 *
 * <p>It keeps an HSM's promises at the API — key material never leaves the provider (no method returns it),
 * keys have states, aliases, deletion windows and rotation with versions, every call is audited — but the keys
 * are software keys in a passphrase-encrypted file (Argon2id + AES-256-GCM), not in certified hardware. It says
 * so when it starts, and refuses to start when the process runs with {@code KMS4J_PROFILE=production} (or
 * {@code -Dkms4j.profile=production}) unless explicitly allowed.
 *
 * <p>Cryptography is AES-256-GCM on the JDK's provider with a fresh 96-bit IV per call; ciphertexts use the
 * blob format in {@code docs/FORMATS.md}.
 *
 * <pre>{@code
 * KmsProvider provider = LocalKmsProvider.builder()
 *         .keystore(Path.of(System.getProperty("user.home"), ".kms4j", "keystore.k4j"))
 *         .passphrase(passphraseChars)
 *         .build();
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use by many threads, and several processes may share one keystore.
 */
public final class LocalKmsProvider extends ManagedKeyProvider {
    /** The URI scheme: {@code local:memory} or {@code local:/path/to/keystore.k4j}. */
    public static final String SCHEME = "local";
    /** Key URIs look like {@code local:key/<key id>}. */
    public static final String KEY_URI_PREFIX = "local:key/";
    /** Alias URIs look like {@code local:alias/<name>}. */
    public static final String ALIAS_URI_PREFIX = "local:";

    private static final System.Logger LOG = System.getLogger(LocalKmsProvider.class.getName());
    private static final int KEY_BYTES = 32;

    private final ProviderInfo info;
    private final ConcurrentMap<String, SecretKey> keys = new ConcurrentHashMap<>();

    private LocalKmsProvider(KeyringStore store, Clock clock, String where) {
        super(store, clock);
        this.info = new ProviderInfo("kms4j local provider (dev-only)", SCHEME, "kms4j-local", true,
                EnumSet.of(ProviderInfo.Capability.EMPTY_PLAINTEXT, ProviderInfo.Capability.INJECTED_CLOCK,
                        ProviderInfo.Capability.DELETION_COMPLETES, ProviderInfo.Capability.SIGN_VERIFY));
        LOG.log(System.Logger.Level.WARNING, "kms4j local provider started (" + where + "): for development and "
                + "tests only. Keys are software keys, not in certified hardware.");
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A provider whose keys live in memory only, with the system clock: for tests. */
    public static LocalKmsProvider inMemory() {
        return builder().inMemory().build();
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    @Override
    protected byte[] createKeyMaterial(String keyId, int version, KeySpec keySpec) {
        return keySpec.isSymmetric() ? randomBytes(KEY_BYTES)
                : AsymmetricKeyMaterial.generate(keySpec, secureRandom());
    }

    @Override
    protected byte[] signDigest(String keyId, KeyVersionRecord version, KeySpec keySpec, SigningAlgorithm algorithm,
                                byte[] digest) {
        byte[] material = version.material();
        byte[] privateKey = AsymmetricKeyMaterial.privateKey(material);
        try {
            return DigestSigner.sign(algorithm, privateKey, digest, secureRandom());
        } finally {
            Arrays.fill(privateKey, (byte) 0);
            Arrays.fill(material, (byte) 0);
        }
    }

    @Override
    protected boolean verifyDigest(String keyId, KeyVersionRecord version, KeySpec keySpec,
                                   SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        return DigestSigner.verify(algorithm, publicKeyDer(keyId, version, keySpec), digest, signature);
    }

    @Override
    protected byte[] publicKeyDer(String keyId, KeyVersionRecord version, KeySpec keySpec) {
        byte[] material = version.material();
        try {
            return AsymmetricKeyMaterial.publicKey(material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    @Override
    protected void destroyKeyMaterial(String keyId, KeyVersionRecord version) {
        // The keyring no longer holds the material; drop the cached JCA key too.
        keys.remove(cacheKey(keyId, version.number()));
    }

    @Override
    protected byte[] sealGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad, byte[] plaintext) {
        return AesGcm.encrypt(secretKey(keyId, version), iv, 128, aad, plaintext);
    }

    @Override
    protected byte[] openGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
        return AesGcm.decrypt(secretKey(keyId, version), iv, 128, aad, ciphertextAndTag);
    }

    @Override
    protected String keyArn(String keyId) {
        return KEY_URI_PREFIX + keyId;
    }

    @Override
    protected String aliasArn(String aliasName) {
        return ALIAS_URI_PREFIX + aliasName;
    }

    @Override
    protected KeyIdentifier parseOwnUri(String uri) {
        if (uri.startsWith(KEY_URI_PREFIX)) {
            return KeyIdentifier.of(uri.substring(KEY_URI_PREFIX.length()));
        }
        if (uri.startsWith(ALIAS_URI_PREFIX + "alias/")) {
            return KeyIdentifier.of(uri.substring(ALIAS_URI_PREFIX.length()));
        }
        return null;
    }

    @Override
    public void close() {
        keys.clear();
        super.close();
    }

    private SecretKey secretKey(String keyId, KeyVersionRecord version) {
        return keys.computeIfAbsent(cacheKey(keyId, version.number()), k -> {
            byte[] material = version.material();
            try {
                return new SecretKeySpec(material, "AES");
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        });
    }

    private static String cacheKey(String keyId, int version) {
        return keyId + '#' + version;
    }

    /** Whether this process runs under the production profile. */
    static boolean productionProfile() {
        String profile = System.getProperty("kms4j.profile", System.getenv("KMS4J_PROFILE"));
        return profile != null && profile.trim().toLowerCase(Locale.ROOT).equals("production");
    }

    /**
     * Builds a {@link LocalKmsProvider}: either {@link #inMemory()} or a {@link #keystore(Path)} with a
     * {@link #passphrase(char[])}. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private Path keystore;
        private boolean inMemory;
        private char[] passphrase;
        private KdfParameters kdfParameters = KdfParameters.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private boolean allowInProduction;

        private Builder() {
        }

        /** Keeps keys in memory only; they are gone when the provider is closed. */
        public Builder inMemory() {
            this.inMemory = true;
            this.keystore = null;
            return this;
        }

        /** Keeps keys in this encrypted keystore file, created (0600) if absent. */
        public Builder keystore(Path keystore) {
            this.keystore = Objects.requireNonNull(keystore, "keystore");
            this.inMemory = false;
            return this;
        }

        /** The keystore passphrase; copied here, and the copy wiped once the keystore is open. */
        public Builder passphrase(char[] passphrase) {
            this.passphrase = Objects.requireNonNull(passphrase, "passphrase").clone();
            return this;
        }

        /** Argon2id costs for a new keystore (an existing one keeps its own); {@link KdfParameters#DEFAULT}. */
        public Builder kdfParameters(KdfParameters parameters) {
            this.kdfParameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** The clock deletion windows and rotation periods are measured with; by default UTC system time. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Lets the provider start under the production profile (it refuses by default). */
        public Builder allowInProduction(boolean allow) {
            this.allowInProduction = allow;
            return this;
        }

        /**
         * Makes the provider, opening or creating the keystore.
         *
         * @throws ValidationException when neither or both storage choices were made, the passphrase is
         *     missing, or the production profile is active and not allowed
         * @throws io.kms4j.AccessDeniedException when the passphrase is wrong
         * @throws io.kms4j.KmsInternalException when the keystore is corrupt or cannot be written
         */
        public LocalKmsProvider build() {
            try {
                if (productionProfile() && !allowInProduction) {
                    throw new ValidationException("the kms4j local provider is for development only and refuses "
                            + "to start under the production profile (KMS4J_PROFILE=production); use an HSM or "
                            + "AWS KMS, or allow it explicitly");
                }
                if (inMemory) {
                    return new LocalKmsProvider(new InMemoryKeyringStore(), clock, "in memory");
                }
                if (keystore == null) {
                    throw new ValidationException("choose a keystore file or in-memory keys");
                }
                if (passphrase == null) {
                    throw new ValidationException("the local keystore " + keystore + " needs a passphrase");
                }
                EncryptedKeystore store = new EncryptedKeystore(keystore, passphrase, kdfParameters);
                return new LocalKmsProvider(store, clock, "keystore " + store.path());
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                    passphrase = null;
                }
            }
        }
    }
}
