package io.kms4j.tink;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import io.kms4j.KeyIdentifier;
import io.kms4j.Kms;
import io.kms4j.ValidationException;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Google Tink's {@link KmsClient} over kms4j: every kms4j backend (the local provider, PKCS#11 HSMs, AWS KMS)
 * serves Tink as a key-encryption-key store, through key URIs of the form {@code kms4j:<kms4j key identifier>}.
 *
 * <pre>{@code
 * Kms4jKmsClient client = Kms4jKmsClient.builder().add(hsmKms).add(awsKms).build();
 * Aead kek = client.getAead("kms4j:pkcs11:token=kms4j;object=3f1c…");
 * Aead envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, kek);
 * byte[] ciphertext = envelope.encrypt(plaintext, associatedData);
 * }</pre>
 *
 * <h2>Key URIs</h2>
 * Everything after {@code kms4j:} is handed to {@link Kms} unchanged as the key id; the part of it before its first
 * colon chooses the backend by the provider's URI scheme:
 * <ul>
 *   <li>{@code kms4j:local:key/<uuid>} (or {@code kms4j:local:alias/<name>}) — the {@link Kms} whose provider
 *       scheme is {@code local};
 *   <li>{@code kms4j:pkcs11:token=<label>;object=<uuid>} — scheme {@code pkcs11};
 *   <li>{@code kms4j:arn:aws:kms:<region>:<account>:key/<id>} — scheme {@code aws-kms} (AWS key identifiers are
 *       ARNs);
 *   <li>{@code kms4j:<key id>} or {@code kms4j:alias/<name>} — only when the client has exactly one backend.
 * </ul>
 * A URI naming an alias resolves the alias at every call, so after the alias is pointed at another key, ciphertexts
 * made under the old key no longer decrypt through that URI: use key URIs for data that outlives an alias.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every {@link Aead} call is one kms4j {@code Encrypt} or {@code Decrypt}: validated, and audited by the
 *       {@link Kms} it goes through (the key's full identifier in the event's resources).
 *   <li>{@code decrypt} names the URI's key as the expected key, so a ciphertext made under any other key is
 *       refused ({@code IncorrectKeyException} as the cause), as Tink's AWS KMS AEAD refuses one.
 *   <li>Associated data is bound as the encryption context {@code {"associatedData": <lowercase hex>}}, none
 *       when it is empty: Tink's AWS KMS binding, so ciphertexts move between Tink's AWS client and this one.
 *   <li>Failures are {@link GeneralSecurityException}s whose cause is the typed {@code KmsException} (AWS error
 *       code, retryable or not). Messages name keys, never secrets.
 *   <li>{@link #doesSupport} and {@link #getAead} only read the URI; they never call the backend.
 * </ul>
 *
 * <p>The client does not own the {@link Kms} instances: the application closes them.
 *
 * <p>Register it explicitly — pass {@code client.getAead(uri)} to {@code KmsEnvelopeAead.create} or to
 * {@code TinkProtoKeysetFormat.serializeEncryptedKeyset} — rather than in Tink's deprecated global
 * {@code KmsClients}; {@code docs/TINK.md} explains the one case (keysets holding KMS key references) where Tink
 * 1.20 still needs the global registry, and how to use {@link #boundTo} there.
 *
 * <p>Thread safety: immutable; safe for concurrent use. The {@link Aead}s it returns are too.
 */
public final class Kms4jKmsClient implements KmsClient {
    /** Every key URI this client serves starts with this. */
    public static final String URI_PREFIX = "kms4j:";
    /** The URI scheme of the kms4j AWS KMS provider. */
    static final String AWS_KMS_SCHEME = "aws-kms";
    /** What AWS key identifiers start with (before their first colon). */
    static final String ARN_PREFIX = "arn";

    /** Key-identifier prefix (text before its first colon) to the backend that serves it; unmodifiable. */
    private final Map<String, Kms> backends;
    /** The backend for key ids and alias names without a scheme: the only one, or null when there are several. */
    private final Kms soleBackend;
    /** The one key URI this client serves, or null when it serves every URI its backends can. */
    private final String boundKeyUri;

    private Kms4jKmsClient(Map<String, Kms> backends, Kms soleBackend, String boundKeyUri) {
        this.backends = backends;
        this.soleBackend = soleBackend;
        this.boundKeyUri = boundKeyUri;
    }

    /**
     * A client with one backend. It serves the backend's own key URIs and also scheme-less ones
     * ({@code kms4j:<key id>}, {@code kms4j:alias/<name>}).
     *
     * @throws NullPointerException when {@code kms} is null
     */
    public static Kms4jKmsClient of(Kms kms) {
        return builder().add(kms).build();
    }

    /** A builder for a client with several backends. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The key URI for a kms4j key identifier, for example the {@code arn()} of a key's metadata:
     * {@code keyUri("local:key/3f1c…")} is {@code "kms4j:local:key/3f1c…"}.
     *
     * @throws ValidationException when the identifier is null, blank, or otherwise not a kms4j key identifier
     */
    public static String keyUri(String keyIdentifier) {
        KeyIdentifier.of(keyIdentifier).requireValid();
        return URI_PREFIX + keyIdentifier;
    }

    /**
     * A client that serves only {@code keyUri}, with the same backends. Tink's global {@code KmsClients} registry
     * hands a URI to the first registered client that supports it, so a client registered there should be bound
     * to its key, as Tink's own cloud clients can be.
     *
     * @throws ValidationException when this client cannot serve {@code keyUri}
     */
    public Kms4jKmsClient boundTo(String keyUri) {
        if (!doesSupport(keyUri)) {
            throw new ValidationException(unsupportedReason(keyUri));
        }
        return new Kms4jKmsClient(backends, soleBackend, keyUri);
    }

    /**
     * Whether this client serves {@code keyUri}: it starts with {@code kms4j:}, the rest is a well-formed kms4j key
     * identifier, a backend of this client serves its scheme, and the client is unbound or bound to exactly this URI.
     * Reads the URI only; whether the key exists is known at the first call.
     */
    @Override
    public boolean doesSupport(String keyUri) {
        return backendFor(keyUri) != null;
    }

    /**
     * Returns the client unchanged: each {@link Kms} was built with its backend's credentials already.
     */
    @Override
    public KmsClient withDefaultCredentials() {
        return this;
    }

    /**
     * Refuses: a kms4j backend takes its credentials (PINs, passphrases, AWS credentials) when its {@link Kms} is
     * built, never from a Tink credential file.
     *
     * @throws GeneralSecurityException always
     */
    @Override
    public KmsClient withCredentials(String credentialPath) throws GeneralSecurityException {
        throw new GeneralSecurityException("Kms4jKmsClient takes no credential file: configure credentials when "
                + "building each kms4j Kms (provider options such as pin-env or passphrase-file), then call "
                + "withDefaultCredentials()");
    }

    /**
     * Tink's {@link Aead} for the key a URI names; see the class description for what its calls do.
     *
     * @throws GeneralSecurityException when this client does not serve the URI ({@link #doesSupport} is false)
     */
    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
        Kms kms = backendFor(keyUri);
        if (kms == null) {
            throw new GeneralSecurityException(unsupportedReason(keyUri));
        }
        return new Kms4jAead(kms, keyUri.substring(URI_PREFIX.length()));
    }

    /** Shows the backends' schemes and the bound URI; nothing here is secret. */
    @Override
    public String toString() {
        return "Kms4jKmsClient[schemes=" + backends.keySet()
                + (boundKeyUri == null ? "" : ", boundTo=" + boundKeyUri) + "]";
    }

    private Kms backendFor(String keyUri) {
        if (keyUri == null || !keyUri.startsWith(URI_PREFIX)) {
            return null;
        }
        if (boundKeyUri != null && !boundKeyUri.equals(keyUri)) {
            return null;
        }
        String reference = keyUri.substring(URI_PREFIX.length());
        switch (KeyIdentifier.of(reference).kind()) {
            case URI:
                return backends.get(reference.substring(0, reference.indexOf(':')));
            case KEY_ID:
            case ALIAS_NAME:
                return soleBackend;
            default:
                return null;
        }
    }

    /** Why {@link #backendFor} found nothing, for the exception message. */
    private String unsupportedReason(String keyUri) {
        if (keyUri == null || !keyUri.startsWith(URI_PREFIX)) {
            return "not a kms4j key URI (they start with " + URI_PREFIX + "): " + keyUri;
        }
        if (boundKeyUri != null && !boundKeyUri.equals(keyUri)) {
            return "this client is bound to " + boundKeyUri + " and does not serve " + keyUri;
        }
        String reference = keyUri.substring(URI_PREFIX.length());
        KeyIdentifier id = KeyIdentifier.of(reference);
        if (id.kind() == KeyIdentifier.Kind.INVALID) {
            return "malformed kms4j key URI: '" + keyUri + "'";
        }
        if (id.kind() == KeyIdentifier.Kind.URI) {
            return "no kms4j backend of this client serves '" + reference.substring(0, reference.indexOf(':'))
                    + ":' key identifiers (it has " + backends.keySet() + "): " + keyUri;
        }
        return "a key id or alias without a scheme is ambiguous with several backends " + backends.keySet()
                + "; use the key's full identifier, for example kms4j:local:key/<id>: " + keyUri;
    }

    /**
     * Builds a {@link Kms4jKmsClient} from one {@link Kms} per backend. Thread safety: not thread-safe; confine a
     * builder to one thread.
     */
    public static final class Builder {
        private final Map<String, Kms> backends = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a backend, serving the key identifiers of its provider's URI scheme
         * ({@code kms.providerInfo().scheme()}); a Kms of the AWS provider (scheme {@code aws-kms}) serves
         * {@code arn:} identifiers.
         *
         * @throws ValidationException when a backend for that scheme was already added (make one client per
         *     backend then, each {@link #boundTo bound} to its keys)
         */
        public Builder add(Kms kms) {
            Objects.requireNonNull(kms, "kms");
            String scheme = kms.providerInfo().scheme();
            String prefix = AWS_KMS_SCHEME.equals(scheme) ? ARN_PREFIX : scheme;
            if (backends.containsKey(prefix)) {
                throw new ValidationException("a kms4j backend for '" + prefix + ":' key identifiers was already "
                        + "added; use one Kms4jKmsClient per backend, each bound to its key URIs");
            }
            backends.put(prefix, kms);
            return this;
        }

        /**
         * Makes the client.
         *
         * @throws ValidationException when no backend was added
         */
        public Kms4jKmsClient build() {
            if (backends.isEmpty()) {
                throw new ValidationException("a Kms4jKmsClient needs at least one kms4j Kms");
            }
            // Each backend serves one prefix, so one entry means one backend.
            Kms sole = backends.size() == 1 ? backends.values().iterator().next() : null;
            return new Kms4jKmsClient(Collections.unmodifiableMap(new LinkedHashMap<>(backends)), sole, null);
        }
    }
}
