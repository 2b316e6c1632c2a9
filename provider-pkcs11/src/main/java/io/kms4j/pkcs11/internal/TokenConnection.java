package io.kms4j.pkcs11.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KeyUnavailableException;
import io.kms4j.KmsException;
import io.kms4j.KeySpec;
import io.kms4j.KmsInternalException;
import io.kms4j.SigningAlgorithm;
import io.kms4j.ValidationException;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AuthProvider;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

/**
 * This JVM's connection to one PKCS#11 token: one SunPKCS11 provider instance, its login, its KeyStore view,
 * a cache of key handles, and the recovery that keeps them usable.
 *
 * <h2>Why one per token per JVM</h2>
 * PKCS#11 login state belongs to the process and the token, not to a provider object: logging out through any
 * SunPKCS11 instance logs out all of them, and once logged in, SunPKCS11 accepts any PIN without asking the
 * token. So every kms4j provider on the same token in this JVM shares one connection ({@link #open}), the
 * first one to open it has the token check its PIN (after logging out whatever login an earlier user left), and
 * later ones must present the same PIN, compared in constant time, or are refused.
 *
 * <h2>Keys</h2>
 * Keys are AES-256 token objects ({@code CKA_TOKEN}, {@code CKA_PRIVATE}, {@code CKA_SENSITIVE},
 * not {@code CKA_EXTRACTABLE}, usable only to encrypt and decrypt), found by their {@code CKA_LABEL}. They are
 * generated on the token as session objects under that template and copied to token objects by the PKCS#11
 * KeyStore: SunPKCS11 offers no other public way to make a labelled token key. Signing keys are key pairs made
 * as labelled token objects from birth, with a certificate beside them so the KeyStore can find the private key
 * ({@link #createKeyPair}); signatures are made and checked by {@link TokenSignatures}. Handles are cached by
 * label, because a KeyStore lookup scans every object on the token.
 *
 * <h2>Recovery</h2>
 * When the token reports that the session or login is gone ({@code CKR_USER_NOT_LOGGED_IN},
 * {@code CKR_SESSION_CLOSED}, {@code CKR_OBJECT_HANDLE_INVALID} after a logout, …), the first thread to notice
 * logs in again and drops every cached handle (old handles stay invalid after a new login); the failed call is
 * then retried with fresh handles (at most {@link #MAX_RECOVERIES} times per call). A generation counter keeps
 * concurrent threads from logging in again for the same loss.
 *
 * <p>Sessions: each operation uses a fresh {@link Cipher} (or {@link java.security.Signature}) that takes a
 * session from SunPKCS11's pool in {@code init} and gives it back in {@code doFinal}, also when {@code doFinal}
 * fails, so no session outlives a call.
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class TokenConnection {
    private static final System.Logger LOG = System.getLogger(TokenConnection.class.getName());
    private static final ConcurrentMap<TokenAddress, TokenConnection> CONNECTIONS = new ConcurrentHashMap<>();
    private static final int GCM_TAG_BITS = 128;
    private static final int GCM_TAG_BYTES = GCM_TAG_BITS / 8;
    private static final int GCM_IV_BYTES = 12;
    private static final int KEY_STORE_LOAD_ATTEMPTS = 4;
    /** What a KeyStore reload may meet while another process or a logout changes the token under it. */
    private static final Set<String> TRANSIENT_LOAD_FAILURES = Set.of("CKR_OBJECT_HANDLE_INVALID",
            "CKR_GENERAL_ERROR", "CKR_USER_NOT_LOGGED_IN", "CKR_SESSION_HANDLE_INVALID", "CKR_SESSION_CLOSED");
    /**
     * How often one call may log in again and retry after the token lost its session or login. Each retry
     * follows a real loss; the bound only ends a call when the token keeps failing. It is above 2 because, on a
     * loaded machine, a recovery (login plus a KeyStore reload that reads every object on the token) can take
     * longer than the gap between logouts other code makes, so one call may meet several.
     */
    static final int MAX_RECOVERIES = 4;

    /** A module and slot: what identifies a token to SunPKCS11. */
    record TokenAddress(String library, long slotId) {
    }

    private final TokenAddress address;
    private final String tokenLabel;
    private final Provider provider;
    private final KeyStore keyStore;
    private final SecureRandom tokenRandom; // null when the token has no RNG
    private final ConcurrentMap<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, SigningKey> signingKeys = new ConcurrentHashMap<>();
    /** Serializes KeyStore reloads and changes: P11KeyStore re-maps every label on both. */
    private final ReentrantLock keyStoreLock = new ReentrantLock();
    /**
     * Guards {@link #users}, writes of {@link #pin}, and logins. Lock order: {@code loginLock} before
     * {@link #keyStoreLock}, never the other way round.
     */
    private final Object loginLock = new Object();
    private int users;
    /** The PIN while the connection has users, else null; read without the lock by KeyStore reloads. */
    private volatile char[] pin;
    private volatile long loginGeneration;

    private TokenConnection(TokenAddress address, String tokenLabel) {
        this.address = address;
        this.tokenLabel = tokenLabel;
        this.provider = configure(address);
        try {
            this.keyStore = KeyStore.getInstance("PKCS11", provider);
        } catch (KeyStoreException e) {
            throw new KmsInternalException("SunPKCS11 offers no KeyStore for token '" + tokenLabel + "'", e);
        }
        SecureRandom random = null;
        try {
            random = SecureRandom.getInstance("PKCS11", provider);
        } catch (NoSuchAlgorithmException e) {
            LOG.log(System.Logger.Level.INFO, "token '" + tokenLabel + "' has no random number generator; kms4j "
                    + "uses the JDK's DRBG for data keys and IVs instead");
        }
        this.tokenRandom = random;
    }

    /**
     * Opens (or joins) this JVM's connection to the token in {@code slotId} of {@code library}, logging in with
     * {@code pin}. Each successful call must be paired with one {@link #release()}.
     *
     * @param pin the user PIN; copied, the caller wipes its own array
     * @throws AccessDeniedException when the token refuses the PIN, or when the token is already open in this JVM
     *     under a different PIN
     * @throws ValidationException when the module or slot does not exist, the slot holds no usable token, or
     *     this process already opened the slot under another label
     * @throws KmsException (typed) for other token failures
     */
    public static TokenConnection open(String library, long slotId, String tokenLabel, char[] pin) {
        Objects.requireNonNull(pin, "pin");
        TokenConnection connection = CONNECTIONS.computeIfAbsent(new TokenAddress(library, slotId),
                address -> new TokenConnection(address, tokenLabel));
        if (!connection.tokenLabel.equals(tokenLabel)) {
            throw new ValidationException("slot " + slotId + " of " + library + " was opened in this process as token '"
                    + connection.tokenLabel + "', not '" + tokenLabel + "'");
        }
        connection.acquire(pin);
        return connection;
    }

    /** The SunPKCS11 provider instance of this token; never registered in {@link Security}. */
    public Provider provider() {
        return provider;
    }

    /** The token's label, for messages. */
    public String tokenLabel() {
        return tokenLabel;
    }

    /** The token's slot id. */
    public long slotId() {
        return address.slotId();
    }

    /** Whether the token has a random number generator kms4j uses. */
    public boolean hasRandom() {
        return tokenRandom != null;
    }

    /** Gives up one {@link #open} of this connection; the last one wipes the PIN and drops the key handles. */
    public void release() {
        synchronized (loginLock) {
            if (users == 0) {
                return;
            }
            users--;
            if (users == 0) {
                char[] held = pin;
                pin = null;
                Arrays.fill(held, '\0');
                keys.clear();
                signingKeys.clear();
            }
        }
    }

    // ---------------------------------------------------------------- keys

    /**
     * Creates an AES-256 token key labelled {@code label}: sensitive, never extractable, encrypt/decrypt only.
     * An object already carrying the label is an orphan of an interrupted earlier creation (callers choose
     * labels no live key has) and is destroyed first, since two secret keys with one label would make the
     * token's whole KeyStore unreadable.
     */
    public void createAesKey(String label) {
        withRecovery("create key " + label, () -> {
            keyStoreLock.lock();
            try {
                reloadKeyStore();
                if (keyStore.containsAlias(label)) {
                    LOG.log(System.Logger.Level.WARNING, "destroying orphaned token object '" + label + "' on token '"
                            + tokenLabel + "' (left by an interrupted key creation)");
                    keyStore.deleteEntry(label);
                }
                KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
                generator.init(256);
                SecretKey sessionKey = generator.generateKey();
                try {
                    keyStore.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
                } catch (KeyStoreException e) {
                    // SunPKCS11 re-reads every label after the copy; another process deleting objects meanwhile
                    // fails that step although the key was made. Believe the token, not the exception.
                    reloadKeyStore();
                    if (!keyStore.containsAlias(label)) {
                        throw e;
                    }
                }
                Key stored = keyStore.getKey(label, null);
                if (!(stored instanceof SecretKey)) {
                    throw new KmsInternalException("token '" + tokenLabel + "' did not keep the new key " + label);
                }
                keys.put(label, (SecretKey) stored);
                return null;
            } finally {
                keyStoreLock.unlock();
            }
        });
    }

    /** Whether a secret key labelled {@code label} is on the token. */
    public boolean hasKey(String label) {
        return withRecovery("look up key " + label, () -> findKey(label) != null);
    }

    /**
     * Destroys the token key labelled {@code label}; nothing happens when there is none. For a key pair this is
     * the private key, its certificate and its public-key object.
     */
    public void destroyKey(String label) {
        boolean keyPair = withRecovery("destroy key " + label, () -> {
            keyStoreLock.lock();
            try {
                keys.remove(label);
                signingKeys.remove(label);
                if (!keyStore.containsAlias(label)) {
                    reloadKeyStore();
                }
                if (!keyStore.containsAlias(label)) {
                    return false;
                }
                // Anything but a secret key is (part of) a key pair: its private key and certificate go here.
                boolean pair = !keyStore.entryInstanceOf(label, KeyStore.SecretKeyEntry.class);
                keyStore.deleteEntry(label);
                return pair;
            } finally {
                keyStoreLock.unlock();
            }
        });
        if (keyPair) {
            destroyPublicKeyObjects(address.library(), address.slotId(), label);
        }
    }

    /**
     * Creates a key pair of {@code spec} on the token, all three objects labelled {@code label} (and with
     * {@code CKA_ID} = label): the private key (token object, private, sensitive, never extractable, sign only),
     * the public key (token object, verify only), and the self-signed certificate SunPKCS11's KeyStore needs to
     * find the private key again ({@link KeyPairCertificate}).
     *
     * <p>SunPKCS11 applies generation templates per provider instance, and only a template can give a new key a
     * label and make it a token object from birth (never a session object that is copied later). So each pair is
     * generated through a short-lived SunPKCS11 instance on the same slot whose templates carry this label; it
     * shares this process's login. The certificate is stored through that instance's KeyStore, which only sets
     * the private key's {@code CKA_ID} (already equal to the label) and adds the certificate object.
     */
    public void createKeyPair(String label, KeySpec spec) {
        withRecovery("prepare key pair " + label, () -> {
            keyStoreLock.lock();
            try {
                reloadKeyStore();
                if (keyStore.containsAlias(label)) {
                    LOG.log(System.Logger.Level.WARNING, "destroying orphaned token objects '" + label + "' on token '"
                            + tokenLabel + "' (left by an interrupted key creation)");
                    keyStore.deleteEntry(label);
                }
                return null;
            } finally {
                keyStoreLock.unlock();
            }
        });
        // Generated once, outside the KeyStore lock (RSA-4096 takes seconds) and outside withRecovery: a retry
        // after a partial success would make a second pair with the same label. A lost login here fails the
        // creation with a retryable error instead; the next call recovers, and a retried CreateKey uses a new
        // key id, so a new label.
        try {
            generateKeyPair(label, spec);
        } catch (KmsException e) {
            throw e;
        } catch (Exception e) {
            throw Pkcs11Errors.toKms("create key pair " + label + " on token '" + tokenLabel + "'", e);
        }
        withRecovery("load key pair " + label, () -> {
            keyStoreLock.lock();
            try {
                reloadKeyStore();
                SigningKey stored = loadSigningKey(label);
                if (stored == null) {
                    throw new KmsInternalException("token '" + tokenLabel + "' did not keep the new key pair " + label);
                }
                signingKeys.put(label, stored);
                return null;
            } finally {
                keyStoreLock.unlock();
            }
        });
    }

    /** Generates the pair and its certificate through a one-shot SunPKCS11 instance (see {@link #createKeyPair}). */
    private void generateKeyPair(String label, KeySpec spec) throws Exception {
        Provider generator = configureKeyPairGenerator(label);
        KeyPairGenerator pairs;
        switch (spec) {
            case RSA_2048:
            case RSA_3072:
            case RSA_4096:
                pairs = KeyPairGenerator.getInstance("RSA", generator);
                pairs.initialize(new RSAKeyGenParameterSpec(rsaBits(spec), RSAKeyGenParameterSpec.F4));
                break;
            case ECC_NIST_P256:
                pairs = KeyPairGenerator.getInstance("EC", generator);
                pairs.initialize(new ECGenParameterSpec("secp256r1"));
                break;
            case ECC_NIST_P384:
                pairs = KeyPairGenerator.getInstance("EC", generator);
                pairs.initialize(new ECGenParameterSpec("secp384r1"));
                break;
            default:
                throw new IllegalArgumentException(spec + " is not a key pair spec");
        }
        KeyPair pair = pairs.generateKeyPair();
        X509Certificate certificate = KeyPairCertificate.create(label, pair, generator);
        KeyStore generatorView = KeyStore.getInstance("PKCS11", generator);
        loadView(generatorView);
        try {
            generatorView.setEntry(label, new KeyStore.PrivateKeyEntry(pair.getPrivate(),
                    new Certificate[] {certificate}), null);
        } catch (KeyStoreException e) {
            // As for secret keys: re-reading labels after the change can fail although it was made; the load
            // step that follows decides.
            LOG.log(System.Logger.Level.DEBUG, "storing the certificate of " + label + " reported "
                    + Pkcs11Errors.describe(e) + "; checking the token");
        }
    }

    /**
     * Destroys every public-key token object labelled {@code label} in slot {@code slotId} of {@code library}
     * through {@link TokenObjectRemover}: in-process when the JDK's PKCS#11 wrapper is exported to kms4j, else
     * in a child JVM.
     *
     * @return how many were destroyed
     * @throws KeyUnavailableException when the module cannot be reached
     */
    private static int destroyPublicKeyObjects(String library, long slotId, String label) {
        if (TokenSlotResolver.wrapperExportedToUs()) {
            try {
                return TokenObjectRemover.destroy(library, slotId, label);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                throw new KeyUnavailableException("cannot destroy the public key " + label + ": "
                        + Pkcs11Errors.describe(cause), cause);
            }
        }
        String out = ChildJvm.run(TokenObjectRemover.class, "destroying the public key " + label,
                List.of(library, Long.toString(slotId),
                        HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8))));
        try {
            return Integer.parseInt(out.strip());
        } catch (NumberFormatException e) {
            throw new KeyUnavailableException("unexpected answer while destroying the public key " + label + ": "
                    + out.strip(), e);
        }
    }

    private static int rsaBits(KeySpec spec) {
        return Integer.parseInt(spec.name().substring("RSA_".length()));
    }

    /** The private key and public key (from the certificate) under {@code label}, or null; with the lock held. */
    private SigningKey loadSigningKey(String label) throws Exception {
        if (!keyStore.entryInstanceOf(label, KeyStore.PrivateKeyEntry.class)) {
            return null;
        }
        Key key = keyStore.getKey(label, null);
        Certificate certificate = keyStore.getCertificate(label);
        if (!(key instanceof PrivateKey) || certificate == null) {
            return null;
        }
        return new SigningKey((PrivateKey) key, certificate.getPublicKey());
    }

    /** A key pair's handles, cached, else read through the KeyStore (reloading once, as for secret keys). */
    private SigningKey requireSigningKey(String label) throws Exception {
        SigningKey cached = signingKeys.get(label);
        if (cached != null) {
            return cached;
        }
        keyStoreLock.lock();
        try {
            cached = signingKeys.get(label);
            if (cached != null) {
                return cached;
            }
            SigningKey found = loadSigningKey(label);
            if (found == null) {
                reloadKeyStore();
                found = loadSigningKey(label);
            }
            if (found == null) {
                throw new KeyUnavailableException("key pair " + label + " is not on token '" + tokenLabel + "'");
            }
            signingKeys.put(label, found);
            return found;
        } finally {
            keyStoreLock.unlock();
        }
    }

    /** A private key on the token and its public key. */
    private record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    }

    /** The cached handle, or a KeyStore lookup (reloading once: another process may have made the key). */
    private SecretKey findKey(String label) throws Exception {
        SecretKey cached = keys.get(label);
        if (cached != null) {
            return cached;
        }
        keyStoreLock.lock();
        try {
            cached = keys.get(label);
            if (cached != null) {
                return cached;
            }
            Key key = keyStore.getKey(label, null);
            if (key == null) {
                reloadKeyStore();
                key = keyStore.getKey(label, null);
            }
            if (key == null) {
                return null;
            }
            if (!(key instanceof SecretKey)) {
                throw new KmsInternalException("token object " + label + " on token '" + tokenLabel
                        + "' is not a secret key");
            }
            keys.put(label, (SecretKey) key);
            return (SecretKey) key;
        } finally {
            keyStoreLock.unlock();
        }
    }

    private SecretKey requireKey(String label) throws Exception {
        SecretKey key = findKey(label);
        if (key == null) {
            throw new KeyUnavailableException("key material " + label + " is not on token '" + tokenLabel + "'");
        }
        return key;
    }

    // ---------------------------------------------------------------- cryptography

    /**
     * AES-256-GCM encryption on the token with an explicit 12-byte IV and a 128-bit tag.
     *
     * @return ciphertext followed by the tag
     */
    public byte[] sealGcm(String label, byte[] iv, byte[] aad, byte[] plaintext) {
        requireIv(iv);
        return withRecovery("encrypt with " + label, () -> {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.ENCRYPT_MODE, requireKey(label), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(aad);
            try {
                return cipher.doFinal(plaintext);
            } catch (AEADBadTagException e) {
                // Encryption checks no tag: SunPKCS11 turns any CKR_GENERAL_ERROR into this exception, and
                // SoftHSM2 answers CKR_GENERAL_ERROR when the login goes away while the operation runs.
                throw new LoginLostDuringCall(e);
            }
        });
    }

    /**
     * AES-256-GCM decryption on the token.
     *
     * <p>Input shorter than the tag is refused here, before the token is called: SunPKCS11 answers an empty
     * GCM ciphertext with an empty plaintext and checks no tag at all (JDK 17 to 25).
     *
     * <p>A failed tag is only reported as an invalid ciphertext once the token is known to be healthy: SoftHSM2
     * answers a wrong tag and a logout during the operation alike ({@code CKR_GENERAL_ERROR}, which SunPKCS11
     * turns into {@code AEADBadTagException}), and calling a good ciphertext invalid because of a passing logout
     * would be a wrong, final answer. So after a failed tag the key is used once more, to encrypt nothing; if
     * that fails too, or another thread logged in again meanwhile, the decryption is retried after recovery.
     *
     * @throws InvalidCiphertextException when the input is too short or fails authentication
     */
    public byte[] openGcm(String label, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
        requireIv(iv);
        if (ciphertextAndTag == null || ciphertextAndTag.length < GCM_TAG_BYTES) {
            throw new InvalidCiphertextException("the ciphertext is too short to hold a GCM tag");
        }
        return withRecovery("decrypt with " + label, () -> {
            long generation = loginGeneration;
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, requireKey(label), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(aad);
            try {
                return cipher.doFinal(ciphertextAndTag);
            } catch (AEADBadTagException | IllegalBlockSizeException e) {
                if (loginGeneration != generation || !keyUsable(label)) {
                    throw new LoginLostDuringCall(e);
                }
                throw new InvalidCiphertextException("the ciphertext failed authentication: it was altered, or the "
                        + "encryption context differs", e);
            }
        });
    }

    /** Whether the key still works right now: one GCM encryption of nothing, under a fresh IV, discarded. */
    private boolean keyUsable(String label) {
        try {
            byte[] probeIv = new byte[GCM_IV_BYTES];
            if (tokenRandom != null) {
                tokenRandom.nextBytes(probeIv);
            } else {
                new SecureRandom().nextBytes(probeIv);
            }
            Cipher probe = Cipher.getInstance("AES/GCM/NoPadding", provider);
            probe.init(Cipher.ENCRYPT_MODE, requireKey(label), new GCMParameterSpec(GCM_TAG_BITS, probeIv));
            // Never doFinal() without an array: on JDK 17 SunPKCS11 then passes a null buffer to C_Encrypt and
            // the JVM crashes (SIGSEGV in libj2pkcs11).
            probe.doFinal(new byte[0]);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Thrown inside a token call when the token's answer means the login or session went away during the call,
     * although its error code does not say so; {@link #withRecovery} then recovers and retries.
     */
    private static final class LoginLostDuringCall extends Exception {
        private static final long serialVersionUID = 1L;

        LoginLostDuringCall(Throwable cause) {
            super("the token lost its login during the call", cause);
        }
    }

    /**
     * Random bytes from the token's generator ({@code C_GenerateRandom}).
     *
     * @throws IllegalStateException when the token has none (check {@link #hasRandom()})
     */
    public byte[] random(int n) {
        if (tokenRandom == null) {
            throw new IllegalStateException("token has no random number generator");
        }
        return withRecovery("generate random bytes", () -> {
            byte[] out = new byte[n];
            tokenRandom.nextBytes(out);
            return out;
        });
    }

    /**
     * Signs {@code digest} on the token with the private key of the key pair labelled {@code label}.
     *
     * @return DER (r, s) for ECDSA, the RSA signature otherwise
     */
    public byte[] signDigest(String label, SigningAlgorithm algorithm, byte[] digest) {
        return withRecovery("sign with " + label, () -> {
            SigningKey key = requireSigningKey(label);
            return TokenSignatures.sign(provider, algorithm, key.privateKey(), key.publicKey(), digest,
                    tokenRandom != null ? tokenRandom : new SecureRandom());
        });
    }

    /**
     * Verifies {@code signature} over {@code digest} on the token with the public key of the pair labelled
     * {@code label}.
     *
     * @return whether it is valid; false for a malformed signature
     */
    public boolean verifyDigest(String label, SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        return withRecovery("verify with " + label, () ->
                TokenSignatures.verify(provider, algorithm, requireSigningKey(label).publicKey(), digest, signature));
    }

    /**
     * Verifies {@code signature} over {@code digest} on the token with any public key (SunPKCS11 loads it onto
     * the token as a session object): the same path as {@link #verifyDigest(String, SigningAlgorithm, byte[],
     * byte[])}, for keys that are not kms4j's (test vectors).
     */
    public boolean verifyDigest(PublicKey publicKey, SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        return withRecovery("verify with an external " + publicKey.getAlgorithm() + " key", () ->
                TokenSignatures.verify(provider, algorithm, publicKey, digest, signature));
    }

    /** The DER SubjectPublicKeyInfo of the key pair labelled {@code label}. */
    public byte[] publicKeyDer(String label) {
        return withRecovery("read the public key of " + label, () -> requireSigningKey(label).publicKey().getEncoded());
    }

    private static void requireIv(byte[] iv) {
        if (iv == null || iv.length != GCM_IV_BYTES) {
            throw new IllegalArgumentException("the GCM IV must be 12 bytes");
        }
    }

    // ---------------------------------------------------------------- login and recovery

    /** A call on the token that may fail with anything SunPKCS11 throws. */
    @FunctionalInterface
    interface TokenCall<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code call}; after a lost session or login, logs in again, drops stale handles and retries, at most
     * {@link #MAX_RECOVERIES} times (a second loss can strike while a retried call runs).
     */
    <T> T withRecovery(String what, TokenCall<T> call) {
        for (int recoveries = 0; ; recoveries++) {
            long generation = loginGeneration;
            try {
                return call.run();
            } catch (KmsException e) {
                throw e;
            } catch (Exception e) {
                // SoftHSM2 also answers CKR_GENERAL_ERROR when the login goes away while a call starts (seen in
                // C_GCMDecryptInit under concurrent logouts): worth one recovery, but a repeat is a real error.
                boolean lost = e instanceof LoginLostDuringCall || Pkcs11Errors.sessionLost(e)
                        || (recoveries == 0 && Pkcs11Errors.code(e).filter("CKR_GENERAL_ERROR"::equals).isPresent());
                String where = what + " on token '" + tokenLabel + "'"
                        + (recoveries > 0 ? " (after logging in again)" : "");
                if (lost && recoveries == MAX_RECOVERIES) {
                    throw new KeyUnavailableException(where + " failed: the token keeps losing its login or session ("
                            + Pkcs11Errors.describe(e) + ")", e);
                }
                if (!lost) {
                    throw Pkcs11Errors.toKms(where, e);
                }
                LOG.log(System.Logger.Level.INFO, "token '" + tokenLabel + "' reported "
                        + Pkcs11Errors.describe(e) + " during " + what + "; logging in again and retrying");
                recover(generation, what);
            }
        }
    }

    private void recover(long observedGeneration, String what) {
        synchronized (loginLock) {
            if (pin == null) {
                throw new KmsInternalException("the connection to token '" + tokenLabel + "' is closed");
            }
            if (loginGeneration != observedGeneration) {
                return; // another thread already recovered from this loss
            }
            keys.clear();
            signingKeys.clear();
            try {
                login(pin);
                keyStoreLock.lock();
                try {
                    reloadKeyStore();
                } finally {
                    keyStoreLock.unlock();
                }
            } catch (KmsException e) {
                throw e;
            } catch (Exception e) {
                throw Pkcs11Errors.toKms("logging in again to token '" + tokenLabel + "' during " + what, e);
            } finally {
                loginGeneration++;
            }
        }
    }

    private void acquire(char[] offered) {
        synchronized (loginLock) {
            if (users == 0) {
                // The first kms4j user in this JVM: a login left over from an earlier user would make SunPKCS11
                // accept any PIN, so log out and let the token itself check this one.
                logoutQuietly();
                login(offered);
                pin = offered.clone();
                keys.clear();
                signingKeys.clear();
                loginGeneration++;
                try {
                    keyStoreLock.lock();
                    try {
                        reloadKeyStore();
                    } finally {
                        keyStoreLock.unlock();
                    }
                } catch (Exception e) {
                    char[] held = pin;
                    pin = null;
                    Arrays.fill(held, '\0');
                    throw Pkcs11Errors.toKms("reading the objects of token '" + tokenLabel + "'", e);
                }
            } else if (!samePin(offered, pin)) {
                throw new AccessDeniedException("wrong PIN for PKCS#11 token '" + tokenLabel + "' (the token is "
                        + "already open in this process with another PIN)");
            }
            users++;
        }
    }

    /** Logs in unless already logged in; maps a refused PIN to {@link AccessDeniedException}. */
    private void login(char[] userPin) {
        try {
            ((AuthProvider) provider).login(null, callbacks -> {
                for (javax.security.auth.callback.Callback callback : callbacks) {
                    if (!(callback instanceof PasswordCallback)) {
                        throw new UnsupportedCallbackException(callback);
                    }
                    ((PasswordCallback) callback).setPassword(userPin); // PasswordCallback copies it
                }
            });
        } catch (FailedLoginException e) {
            throw new AccessDeniedException("wrong PIN for PKCS#11 token '" + tokenLabel + "'", e);
        } catch (LoginException e) {
            if (Pkcs11Errors.code(e).isEmpty() || Pkcs11Errors.badCredentials(e)) {
                throw new AccessDeniedException("cannot log in to PKCS#11 token '" + tokenLabel + "': "
                        + Pkcs11Errors.describe(e), e);
            }
            throw Pkcs11Errors.toKms("logging in to token '" + tokenLabel + "'", e);
        } catch (ProviderException e) {
            throw Pkcs11Errors.toKms("logging in to token '" + tokenLabel + "'", e);
        }
    }

    private void logoutQuietly() {
        try {
            ((AuthProvider) provider).logout();
        } catch (LoginException | ProviderException e) {
            LOG.log(System.Logger.Level.DEBUG, "logout from token '" + tokenLabel + "' failed: "
                    + Pkcs11Errors.describe(e));
        }
    }

    /**
     * Re-reads the token's objects into the KeyStore view (it is a snapshot), logging in first if the token is
     * logged out. Retries a few times: SunPKCS11 lists the objects, then reads each one's label, and an object
     * that becomes unreadable in between (another process destroys it: {@code CKR_OBJECT_HANDLE_INVALID}; a
     * logout hides private objects: SoftHSM2 answers {@code CKR_GENERAL_ERROR}) fails the read transiently.
     * Call with {@link #keyStoreLock} held.
     */
    private void reloadKeyStore() throws Exception {
        char[] held = pin;
        char[] currentPin = held == null ? null : held.clone();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    keyStore.load(null, currentPin);
                    return;
                } catch (java.io.IOException e) {
                    if (attempt >= KEY_STORE_LOAD_ATTEMPTS
                            || !TRANSIENT_LOAD_FAILURES.contains(Pkcs11Errors.code(e).orElse(""))) {
                        throw e;
                    }
                }
            }
        } finally {
            if (currentPin != null) {
                Arrays.fill(currentPin, '\0');
            }
        }
    }

    private static boolean samePin(char[] a, char[] b) {
        return MessageDigest.isEqual(digest(a), digest(b));
    }

    /** SHA-256 of the PIN's UTF-8 bytes, so the comparison leaks neither content nor length through timing. */
    private static byte[] digest(char[] pin) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(encoded);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        } finally {
            Arrays.fill(encoded.array(), (byte) 0);
        }
    }

    // ---------------------------------------------------------------- SunPKCS11 set-up

    private static Provider configure(TokenAddress address) {
        String library = address.library();
        if (library.indexOf('"') >= 0 || library.indexOf('\n') >= 0 || library.indexOf('\\') >= 0) {
            throw new ValidationException("unsupported character in PKCS#11 module path " + library);
        }
        // Templates: SunPKCS11's defaults make secret and private keys non-sensitive and extractable. kms4j keys
        // are sensitive, never extractable, and may only encrypt and decrypt (or sign, for private keys).
        String config = "name = kms4j-" + address.slotId() + "\n"
                + "library = \"" + library + "\"\n"
                + "slot = " + address.slotId() + "\n"
                + "attributes(generate, CKO_SECRET_KEY, *) = {\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "  CKA_ENCRYPT = true\n"
                + "  CKA_DECRYPT = true\n"
                + "  CKA_WRAP = false\n"
                + "  CKA_UNWRAP = false\n"
                + "  CKA_SIGN = false\n"
                + "  CKA_VERIFY = false\n"
                + "  CKA_DERIVE = false\n"
                + "}\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "}\n";
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KmsInternalException("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        try {
            return base.configure("--" + config);
        } catch (ProviderException | java.security.InvalidParameterException e) {
            String code = Pkcs11Errors.code(e).orElse("");
            String where = "slot " + address.slotId() + " of PKCS#11 module " + library;
            switch (code) {
                case "CKR_SLOT_ID_INVALID":
                    throw new ValidationException("no " + where + " is visible to this JVM; a module such as SoftHSM2 "
                            + "lists its tokens once, when the process first uses it, so a token created later is "
                            + "only seen by a new process", e);
                case "CKR_TOKEN_NOT_RECOGNIZED":
                case "CKR_TOKEN_NOT_PRESENT":
                    throw new ValidationException("the token in " + where + " is missing or not initialised", e);
                case "":
                    throw new ValidationException("cannot use " + where + ": " + rootMessage(e), e);
                default:
                    throw Pkcs11Errors.toKms("opening " + where, e);
            }
        }
    }

    /**
     * A SunPKCS11 instance on this slot whose generation templates make key pairs as labelled token objects.
     * Not registered anywhere; it shares this process's login and is dropped after one generation.
     */
    private Provider configureKeyPairGenerator(String label) {
        String hexLabel = "0h" + HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8));
        String config = "name = kms4j-keypair-" + address.slotId() + "\n"
                + "library = \"" + address.library() + "\"\n"
                + "slot = " + address.slotId() + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "  CKA_SIGN = true\n"
                + "  CKA_DECRYPT = false\n"
                + "  CKA_UNWRAP = false\n"
                + "  CKA_DERIVE = false\n"
                + "  CKA_LABEL = " + hexLabel + "\n"
                + "  CKA_ID = " + hexLabel + "\n"
                + "}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = false\n"
                + "  CKA_VERIFY = true\n"
                + "  CKA_ENCRYPT = false\n"
                + "  CKA_WRAP = false\n"
                + "  CKA_DERIVE = false\n"
                + "  CKA_LABEL = " + hexLabel + "\n"
                + "  CKA_ID = " + hexLabel + "\n"
                + "}\n";
        try {
            return Security.getProvider("SunPKCS11").configure("--" + config);
        } catch (ProviderException | java.security.InvalidParameterException e) {
            throw Pkcs11Errors.toKms("preparing key pair generation on token '" + tokenLabel + "'", e);
        }
    }

    /** Loads a KeyStore view with the held PIN (the process is logged in already, so it is not re-checked). */
    private void loadView(KeyStore view) throws Exception {
        char[] held = pin;
        char[] currentPin = held == null ? null : held.clone();
        try {
            view.load(null, currentPin);
        } finally {
            if (currentPin != null) {
                Arrays.fill(currentPin, '\0');
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
