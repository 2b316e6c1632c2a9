package io.kms4j.pkcs11;

import io.kms4j.KeyIdentifier;
import io.kms4j.KeySpec;
import io.kms4j.SigningAlgorithm;
import io.kms4j.ValidationException;
import io.kms4j.pkcs11.internal.Pkcs11Uri;
import io.kms4j.pkcs11.internal.TokenConnection;
import io.kms4j.pkcs11.internal.TokenKeyringStore;
import io.kms4j.pkcs11.internal.TokenSlotResolver;
import io.kms4j.spi.ProviderInfo;
import io.kms4j.spi.support.KeyVersionRecord;
import io.kms4j.spi.support.ManagedKeyProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PKCS#11 provider: keys live on a hardware security module, or any PKCS#11 token, driven through the JDK's
 * SunPKCS11; tested on SoftHSM2.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Every key version is an AES-256 key made <em>on the token</em> as a token object that is sensitive,
 *       never extractable, and allowed only to encrypt and decrypt: its bytes never leave the token, not even
 *       to this process.
 *   <li>Encrypt, Decrypt and data-key wrapping run AES-256-GCM on the token with a fresh 96-bit IV passed
 *       explicitly and the header plus encryption context as AAD. The ciphertext blob is the same format as the
 *       local provider's ({@code docs/FORMATS.md}). Input too short to hold a tag is refused before the token is
 *       called (SunPKCS11 would "decrypt" an empty ciphertext without checking any tag).
 *   <li>Signing keys (RSA 2048/3072/4096, EC P-256/P-384) are key pairs generated on the token as token objects;
 *       the private key is sensitive, never extractable and may only sign. Sign runs on the token; Verify runs the
 *       public-key operation on the token after checking the signature's encoding strictly. See
 *       {@code docs/PKCS11.md}, "Signing keys".
 *   <li>Data keys, IVs and GenerateRandom come from the token's random number generator.
 *   <li>The PIN is read from an environment variable or a file, never from a URI or command line, is never
 *       logged, and is wiped when the last provider on the token closes. A wrong PIN fails at start-up with
 *       {@link io.kms4j.AccessDeniedException}.
 *   <li>Key metadata the token cannot hold (state, aliases, description, versions, dates) is kept in a file
 *       sealed with AES-GCM by another key on the token, so it cannot be read or altered without the token;
 *       processes sharing the token and the state directory agree on it. See {@code docs/PKCS11.md}.
 * </ul>
 *
 * <pre>{@code
 * KmsProvider provider = Pkcs11KmsProvider.builder()
 *         .modulePath(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
 *         .tokenLabel("kms4j")
 *         .pin(pinChars)                       // wiped by the caller; the builder keeps a copy until build()
 *         .build();
 * }</pre>
 *
 * <p>Keys are named {@code pkcs11:token=<label>;object=<key id>}, aliases
 * {@code pkcs11:token=<label>;object=alias%2F<name>}.
 *
 * <p>Thread safety: safe for concurrent use by many threads; several providers, in this process or in others,
 * may share one token.
 */
public final class Pkcs11KmsProvider extends ManagedKeyProvider {
    /** The URI scheme. */
    public static final String SCHEME = "pkcs11";
    /** The {@code eventSource} of this provider's audit events. */
    public static final String EVENT_SOURCE = "kms4j-pkcs11";
    /** Token objects made by kms4j carry labels starting with this. */
    public static final String LABEL_PREFIX = "kms4j:";
    /** The longest token label PKCS#11 allows, in bytes. */
    public static final int MAX_TOKEN_LABEL_BYTES = 32;

    private final TokenConnection token;
    private final String keyUriPrefix;
    private final ProviderInfo info;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pkcs11KmsProvider(TokenConnection token, TokenKeyringStore store, Clock clock) {
        super(store, clock);
        this.token = token;
        this.keyUriPrefix = Pkcs11Uri.PREFIX + "token=" + Pkcs11Uri.encode(token.tokenLabel()) + ";object=";
        this.info = new ProviderInfo("kms4j PKCS#11 provider (token '" + token.tokenLabel() + "')", SCHEME,
                EVENT_SOURCE, false, EnumSet.of(ProviderInfo.Capability.EMPTY_PLAINTEXT,
                        ProviderInfo.Capability.INJECTED_CLOCK, ProviderInfo.Capability.DELETION_COMPLETES,
                        ProviderInfo.Capability.SIGN_VERIFY));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The token label a key version's material names: {@code kms4j:<key id>:v<version>}. */
    public static String tokenObjectLabel(String keyId, int version) {
        return LABEL_PREFIX + keyId + ":v" + version;
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    /**
     * Makes the version's key on the token: an AES-256 key, or for the asymmetric specs a key pair whose private
     * key signs only. Either way the material kept in the keyring is just the objects' label.
     */
    @Override
    protected byte[] createKeyMaterial(String keyId, int version, KeySpec keySpec) {
        String label = tokenObjectLabel(keyId, version);
        if (keySpec.isSymmetric()) {
            token.createAesKey(label);
        } else {
            token.createKeyPair(label, keySpec);
        }
        return label.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected byte[] signDigest(String keyId, KeyVersionRecord version, KeySpec keySpec, SigningAlgorithm algorithm,
                                byte[] digest) {
        return token.signDigest(label(version), algorithm, digest);
    }

    @Override
    protected boolean verifyDigest(String keyId, KeyVersionRecord version, KeySpec keySpec,
                                   SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        return token.verifyDigest(label(version), algorithm, digest, signature);
    }

    @Override
    protected byte[] publicKeyDer(String keyId, KeyVersionRecord version, KeySpec keySpec) {
        return token.publicKeyDer(label(version));
    }

    @Override
    protected void destroyKeyMaterial(String keyId, KeyVersionRecord version) {
        token.destroyKey(label(version));
    }

    @Override
    protected byte[] sealGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad, byte[] plaintext) {
        return token.sealGcm(label(version), iv, aad, plaintext);
    }

    @Override
    protected byte[] openGcm(String keyId, KeyVersionRecord version, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
        return token.openGcm(label(version), iv, aad, ciphertextAndTag);
    }

    /** Random bytes from the token's generator (the JDK's DRBG only if the token has none). */
    @Override
    protected byte[] randomBytes(int n) {
        return token.hasRandom() ? token.random(n) : super.randomBytes(n);
    }

    @Override
    protected String keyArn(String keyId) {
        return keyUriPrefix + Pkcs11Uri.encode(keyId);
    }

    @Override
    protected String aliasArn(String aliasName) {
        return keyUriPrefix + Pkcs11Uri.encode(aliasName);
    }

    /** Reads {@code pkcs11:token=<this token>;object=<key id or alias>}; other tokens' URIs are not ours. */
    @Override
    protected KeyIdentifier parseOwnUri(String uri) {
        if (!uri.regionMatches(true, 0, Pkcs11Uri.PREFIX, 0, Pkcs11Uri.PREFIX.length())) {
            return null;
        }
        Pkcs11Uri parsed;
        try {
            parsed = Pkcs11Uri.parse(uri);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!parsed.queryAttributes().isEmpty()
                || !parsed.pathAttribute("token").map(token.tokenLabel()::equals).orElse(false)) {
            return null;
        }
        return parsed.pathAttribute("object").map(KeyIdentifier::of).orElse(null);
    }

    /** Closes the metadata store and gives up this provider's share of the token connection. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                super.close();
            } finally {
                token.release();
            }
        }
    }

    private static String label(KeyVersionRecord version) {
        return new String(version.material(), StandardCharsets.US_ASCII);
    }

    /** Where metadata lives unless configured: {@code ~/.kms4j/pkcs11/<token label>}. */
    static Path defaultStateDirectory(String tokenLabel) {
        return Path.of(System.getProperty("user.home"), ".kms4j", "pkcs11",
                URLEncoder.encode(tokenLabel, StandardCharsets.UTF_8));
    }

    /**
     * Builds a {@link Pkcs11KmsProvider}. Required: {@link #modulePath}, {@link #tokenLabel}, {@link #pin}.
     *
     * <p>Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private Path modulePath;
        private String tokenLabel;
        private Long slotId;
        private char[] pin;
        private Path stateDirectory;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The PKCS#11 module (shared library) of the token, for example {@code /usr/lib/softhsm/libsofthsm2.so}. */
        public Builder modulePath(Path modulePath) {
            this.modulePath = Objects.requireNonNull(modulePath, "modulePath");
            return this;
        }

        /** The token's label (1 to 32 bytes of UTF-8); the token is found by it. */
        public Builder tokenLabel(String tokenLabel) {
            this.tokenLabel = Objects.requireNonNull(tokenLabel, "tokenLabel");
            return this;
        }

        /**
         * The token's slot id, when known: skips the search by label (which, without
         * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}, starts a short child
         * JVM). The label is then trusted as given.
         */
        public Builder slotId(long slotId) {
            this.slotId = slotId;
            return this;
        }

        /** The user PIN; copied here, and the copy wiped by {@link #build()}. */
        public Builder pin(char[] pin) {
            if (this.pin != null) {
                Arrays.fill(this.pin, '\0');
            }
            this.pin = Objects.requireNonNull(pin, "pin").clone();
            return this;
        }

        /**
         * Where the key metadata file lives; by default {@code ~/.kms4j/pkcs11/<token label>}. Processes that
         * share a token must share this directory too.
         */
        public Builder stateDirectory(Path stateDirectory) {
            this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
            return this;
        }

        /** The clock deletion windows and rotation periods are measured with; by default UTC system time. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Finds the token, logs in, and opens the metadata store (creating it and its sealing key on first use).
         *
         * @throws ValidationException when a setting is missing or invalid, the module does not exist, or no
         *     token (or more than one) has the label
         * @throws io.kms4j.AccessDeniedException when the token refuses the PIN
         * @throws io.kms4j.KeyUnavailableException when the token cannot be reached
         * @throws io.kms4j.KmsInternalException when the metadata file is corrupt or belongs to another token
         */
        public Pkcs11KmsProvider build() {
            try {
                if (modulePath == null) {
                    throw new ValidationException("the PKCS#11 provider needs the module path (module-path), for "
                            + "example /usr/lib/softhsm/libsofthsm2.so");
                }
                if (!Files.isRegularFile(modulePath)) {
                    throw new ValidationException("the PKCS#11 module " + modulePath + " does not exist");
                }
                if (tokenLabel == null || tokenLabel.isEmpty()
                        || tokenLabel.getBytes(StandardCharsets.UTF_8).length > MAX_TOKEN_LABEL_BYTES) {
                    throw new ValidationException("the PKCS#11 provider needs a token label of 1 to "
                            + MAX_TOKEN_LABEL_BYTES + " bytes");
                }
                if (pin == null || pin.length == 0) {
                    throw new ValidationException("the PKCS#11 provider needs the token's user PIN");
                }
                String library = modulePath.toAbsolutePath().normalize().toString();
                long slot = slotId != null ? slotId : TokenSlotResolver.resolve(library, tokenLabel);
                TokenConnection connection;
                try {
                    connection = TokenConnection.open(library, slot, tokenLabel, pin);
                } catch (ValidationException e) {
                    if (slotId == null) {
                        TokenSlotResolver.forget(library, tokenLabel);
                    }
                    throw e;
                }
                try {
                    Path dir = stateDirectory != null ? stateDirectory : defaultStateDirectory(tokenLabel);
                    TokenKeyringStore store = new TokenKeyringStore(dir, connection,
                            n -> connection.hasRandom() ? connection.random(n) : drbgBytes(n));
                    return new Pkcs11KmsProvider(connection, store, clock);
                } catch (RuntimeException e) {
                    connection.release();
                    throw e;
                }
            } finally {
                if (pin != null) {
                    Arrays.fill(pin, '\0');
                    pin = null;
                }
            }
        }

        private static byte[] drbgBytes(int n) {
            byte[] out = new byte[n];
            new java.security.SecureRandom().nextBytes(out);
            return out;
        }
    }
}
