package io.kms4j;

import io.kms4j.audit.AuditFailurePolicy;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.CallerContext;
import io.kms4j.audit.SystemLoggerAuditSink;
import io.kms4j.internal.AuditingProvider;
import io.kms4j.internal.Operation;
import io.kms4j.internal.Params;
import io.kms4j.internal.ProviderDiscovery;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderConfig;
import io.kms4j.spi.ProviderInfo;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The kms4j client: one key-management API over AWS KMS, PKCS#11 HSMs and the dev-only local provider.
 * Operations and their names follow AWS KMS.
 *
 * <pre>{@code
 * try (Kms kms = Kms.builder().providerUri("local:/home/me/.kms4j/keystore.k4j")
 *         .option("passphrase-env", "KMS4J_PASSPHRASE").build()) {
 *     String keyId = kms.createKey().keyId();
 *     byte[] blob = kms.encrypt(keyId, "secret".getBytes(UTF_8), Map.of("purpose", "demo")).ciphertextBlob();
 *     try (DecryptResult r = kms.decrypt(blob, Map.of("purpose", "demo"))) { ... r.plaintext() ... }
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every call leaves exactly one audit event, success or failure, including calls refused by validation;
 *       see {@code docs/AUDIT.md}. When the audit sink cannot record, the call is refused (fail closed) unless
 *       the application chose {@link AuditFailurePolicy#FAIL_OPEN}.
 *   <li>Every failure is a {@link KmsException} subclass carrying the AWS error code; see
 *       {@code docs/ERRORS.md}. Nothing from a lower layer escapes untyped.
 *   <li>Key material never leaves the provider. Plaintext arguments are read during the call and never kept;
 *       results that hold plaintext ({@link DecryptResult}, {@link DataKey}) wipe it on {@code close()}.
 *   <li>Requests are checked against AWS KMS's limits before they reach the provider: Encrypt takes at most
 *       {@value #MAX_PLAINTEXT_BYTES} bytes (use envelope encryption for more), ciphertext blobs at most
 *       {@value #MAX_CIPHERTEXT_BYTES}, data keys and random bytes 1 to 1024.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use by any number of threads; share one instance.
 */
public final class Kms implements AutoCloseable {
    /** The largest plaintext Encrypt accepts, as in AWS KMS. */
    public static final int MAX_PLAINTEXT_BYTES = 4096;
    /** The largest ciphertext blob Decrypt accepts, as in AWS KMS. */
    public static final int MAX_CIPHERTEXT_BYTES = 6144;
    /** The largest signature Verify accepts; an RSA-4096 signature is 512 bytes, as AWS KMS also limits it. */
    public static final int MAX_SIGNATURE_BYTES = 6144;
    /** The most bytes GenerateDataKey and GenerateRandom return, as in AWS KMS. */
    public static final int MAX_GENERATED_BYTES = 1024;
    /** The default rotation period for automatic rotation, as in AWS KMS. */
    public static final int DEFAULT_ROTATION_PERIOD_DAYS = 365;

    private final AuditingProvider provider;
    private final boolean ownsResources;

    private Kms(AuditingProvider provider, boolean ownsResources) {
        this.provider = provider;
        this.ownsResources = ownsResources;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the provider for a URI found with {@link java.util.ServiceLoader}, auditing to the JDK logger
     * {@code kms4j.audit}. Prefer {@link #builder()} to choose the audit sink.
     *
     * @throws KmsException (typed) when no provider serves the URI or it cannot be opened
     */
    public static Kms open(String providerUri) {
        return builder().providerUri(providerUri).build();
    }

    /**
     * A view of this client that records {@code caller} in audit events (the AWS-compatible server makes one
     * per request). It shares the provider and sink; closing the view does nothing.
     */
    public Kms forCaller(CallerContext caller) {
        return new Kms(provider.withCaller(Objects.requireNonNull(caller, "caller")), false);
    }

    /** What the provider is, including whether it is dev-only and its capabilities. */
    public ProviderInfo providerInfo() {
        return provider.info();
    }

    // ---------------------------------------------------------------- key management

    /** Creates an AES-256 encryption key. */
    public KeyMetadata createKey() {
        return createKey(CreateKeyRequest.defaults());
    }

    /**
     * Creates a key.
     *
     * @throws ValidationException when the description is longer than 8192 characters, or usage and spec do
     *     not fit together
     * @throws UnsupportedKmsOperationException when the provider cannot make keys of that spec
     */
    public KeyMetadata createKey(CreateKeyRequest request) {
        CreateKeyRequest r = request == null ? CreateKeyRequest.defaults() : request;
        return checked(Operation.CREATE_KEY, () -> Params.of("description", r.description(),
                "keyUsage", r.keyUsage().name(), "keySpec", r.keySpec().name()), null, () -> {
                    if (r.description().length() > CreateKeyRequest.MAX_DESCRIPTION_LENGTH) {
                        throw new ValidationException("description is longer than "
                                + CreateKeyRequest.MAX_DESCRIPTION_LENGTH + " characters");
                    }
                    if (r.keySpec().isSymmetric() != (r.keyUsage() == KeyUsage.ENCRYPT_DECRYPT)) {
                        throw new ValidationException("key usage " + r.keyUsage() + " does not fit key spec "
                                + r.keySpec() + " (symmetric keys encrypt; asymmetric keys sign)");
                    }
                    return () -> provider.createKey(r);
                });
    }

    /**
     * Describes a key, in any state.
     *
     * @param keyId a key id, alias name, or full key identifier
     * @throws NotFoundException when no such key or alias exists
     */
    public KeyMetadata describeKey(String keyId) {
        return checked(Operation.DESCRIBE_KEY, () -> Params.of("keyId", keyId), keyId,
                () -> {
                    KeyIdentifier key = key(keyId);
                    return () -> provider.describeKey(key);
                });
    }

    /** Lists up to 100 keys from the start; use {@link #listKeys(int, String)} to page. */
    public Page<KeyListEntry> listKeys() {
        return listKeys(100, null);
    }

    /**
     * Lists keys, one page at a time, in a stable order.
     *
     * @param limit 1 to 1000
     * @param marker the {@link Page#nextMarker()} of the previous page, or null for the first page
     * @throws InvalidMarkerException when the marker was not issued by this provider
     */
    public Page<KeyListEntry> listKeys(int limit, String marker) {
        return checked(Operation.LIST_KEYS, () -> Params.of("limit", limit, "marker", marker), null, () -> {
            checkLimit(limit);
            return () -> provider.listKeys(limit, marker);
        });
    }

    /** Every key, following the pages. */
    public List<KeyListEntry> listAllKeys() {
        List<KeyListEntry> all = new java.util.ArrayList<>();
        String marker = null;
        do {
            Page<KeyListEntry> page = listKeys(1000, marker);
            all.addAll(page.items());
            marker = page.nextMarker();
        } while (marker != null);
        return all;
    }

    /**
     * Creates an alias for a key.
     *
     * @param aliasName {@code alias/} followed by 1 to 250 of {@code [a-zA-Z0-9/_-]}; not {@code alias/aws/…}
     * @throws InvalidAliasNameException when the name is malformed or reserved
     * @throws AlreadyExistsException when the alias exists
     * @throws NotFoundException when the key does not exist
     */
    public void createAlias(String aliasName, String targetKeyId) {
        checked(Operation.CREATE_ALIAS, () -> Params.of("aliasName", aliasName, "targetKeyId", targetKeyId),
                targetKeyId, () -> {
                    checkAliasName(aliasName);
                    KeyIdentifier key = key(targetKeyId);
                    return () -> provider.createAlias(aliasName, key);
                });
    }

    /**
     * Points an existing alias at another key.
     *
     * @throws NotFoundException when the alias or key does not exist
     */
    public void updateAlias(String aliasName, String targetKeyId) {
        checked(Operation.UPDATE_ALIAS, () -> Params.of("aliasName", aliasName, "targetKeyId", targetKeyId),
                targetKeyId, () -> {
                    checkAliasName(aliasName);
                    KeyIdentifier key = key(targetKeyId);
                    return () -> provider.updateAlias(aliasName, key);
                });
    }

    /**
     * Deletes an alias; the key is unaffected.
     *
     * @throws NotFoundException when the alias does not exist
     */
    public void deleteAlias(String aliasName) {
        checked(Operation.DELETE_ALIAS, () -> Params.of("aliasName", aliasName), null, () -> {
            checkAliasName(aliasName);
            return () -> provider.deleteAlias(aliasName);
        });
    }

    /** Lists up to 100 aliases of all keys. */
    public Page<AliasListEntry> listAliases() {
        return listAliases(null, 100, null);
    }

    /**
     * Lists aliases, of all keys or of one, a page at a time.
     *
     * @param keyId the key whose aliases to list, or null for all
     */
    public Page<AliasListEntry> listAliases(String keyId, int limit, String marker) {
        return checked(Operation.LIST_ALIASES, () -> Params.of("keyId", keyId, "limit", limit, "marker", marker),
                keyId, () -> {
                    KeyIdentifier key = keyId == null ? null : key(keyId);
                    checkLimit(limit);
                    return () -> provider.listAliases(key, limit, marker);
                });
    }

    /**
     * Enables a key.
     *
     * @throws KmsInvalidStateException when the key is pending deletion
     */
    public void enableKey(String keyId) {
        simpleKeyCall(Operation.ENABLE_KEY, keyId, provider::enableKey);
    }

    /**
     * Disables a key: it then refuses cryptographic operations with {@link DisabledException}.
     *
     * @throws KmsInvalidStateException when the key is pending deletion
     */
    public void disableKey(String keyId) {
        simpleKeyCall(Operation.DISABLE_KEY, keyId, provider::disableKey);
    }

    /**
     * Schedules a key's deletion after a waiting period of 7 to 30 days. The key is unusable meanwhile (state
     * {@link KeyState#PENDING_DELETION}); when the period ends the key and all its versions are destroyed and
     * its ciphertexts can never be decrypted again.
     *
     * @return the key's metadata, with its deletion date
     * @throws ValidationException when the window is outside 7 to 30 days
     */
    public KeyMetadata scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
        return checked(Operation.SCHEDULE_KEY_DELETION,
                () -> Params.of("keyId", keyId, "pendingWindowInDays", pendingWindowInDays), keyId, () -> {
                    KeyIdentifier key = key(keyId);
                    if (pendingWindowInDays < 7 || pendingWindowInDays > 30) {
                        throw new ValidationException("pendingWindowInDays must be 7 to 30, was "
                                + pendingWindowInDays);
                    }
                    return () -> provider.scheduleKeyDeletion(key, pendingWindowInDays);
                });
    }

    /** Schedules deletion with AWS's default window of 30 days. */
    public KeyMetadata scheduleKeyDeletion(String keyId) {
        return scheduleKeyDeletion(keyId, 30);
    }

    /**
     * Cancels a scheduled deletion; the key becomes {@link KeyState#DISABLED}, as in AWS KMS.
     *
     * @throws KmsInvalidStateException when the key is not pending deletion
     */
    public void cancelKeyDeletion(String keyId) {
        simpleKeyCall(Operation.CANCEL_KEY_DELETION, keyId, provider::cancelKeyDeletion);
    }

    /** Turns on automatic rotation every {@value #DEFAULT_ROTATION_PERIOD_DAYS} days. */
    public void enableKeyRotation(String keyId) {
        enableKeyRotation(keyId, DEFAULT_ROTATION_PERIOD_DAYS);
    }

    /**
     * Turns on automatic rotation: a new key version every {@code rotationPeriodInDays} (90 to 2560).
     *
     * @throws ValidationException when the period is out of range
     */
    public void enableKeyRotation(String keyId, int rotationPeriodInDays) {
        checked(Operation.ENABLE_KEY_ROTATION,
                () -> Params.of("keyId", keyId, "rotationPeriodInDays", rotationPeriodInDays), keyId, () -> {
                    KeyIdentifier key = key(keyId);
                    if (rotationPeriodInDays < 90 || rotationPeriodInDays > 2560) {
                        throw new ValidationException("rotationPeriodInDays must be 90 to 2560, was "
                                + rotationPeriodInDays);
                    }
                    return () -> provider.enableKeyRotation(key, rotationPeriodInDays);
                });
    }

    /** Turns off automatic rotation. */
    public void disableKeyRotation(String keyId) {
        simpleKeyCall(Operation.DISABLE_KEY_ROTATION, keyId, provider::disableKeyRotation);
    }

    /** Reports whether automatic rotation is on, and when the next rotation is due. */
    public KeyRotationStatus getKeyRotationStatus(String keyId) {
        return checked(Operation.GET_KEY_ROTATION_STATUS, () -> Params.of("keyId", keyId), keyId, () -> {
            KeyIdentifier key = key(keyId);
            return () -> provider.getKeyRotationStatus(key);
        });
    }

    /**
     * Rotates a key now: later encryptions use a new key version; ciphertexts made under earlier versions
     * still decrypt.
     *
     * @throws DisabledException when the key is disabled
     */
    public KeyRotation rotateKeyOnDemand(String keyId) {
        return checked(Operation.ROTATE_KEY_ON_DEMAND, () -> Params.of("keyId", keyId), keyId, () -> {
            KeyIdentifier key = key(keyId);
            return () -> provider.rotateKeyOnDemand(key);
        });
    }

    /** The completed rotations of a key, oldest first. */
    public List<KeyRotation> listKeyRotations(String keyId) {
        return checked(Operation.LIST_KEY_ROTATIONS, () -> Params.of("keyId", keyId), keyId, () -> {
            KeyIdentifier key = key(keyId);
            return () -> provider.listKeyRotations(key);
        });
    }

    // ---------------------------------------------------------------- cryptography

    /** Encrypts with no encryption context; see {@link #encrypt(String, byte[], Map)}. */
    public EncryptResult encrypt(String keyId, byte[] plaintext) {
        return encrypt(keyId, plaintext, Map.of());
    }

    /**
     * Encrypts at most {@value #MAX_PLAINTEXT_BYTES} bytes under a key, binding the encryption context. For
     * larger data, encrypt locally under a data key (envelope encryption, {@code io.kms4j.envelope}).
     *
     * @param plaintext read during the call and never kept; the caller wipes its own array
     * @param encryptionContext non-secret pairs that decryption must repeat exactly; may be empty
     * @return a ciphertext blob that names its key, so {@link #decrypt(byte[])} needs no key id
     * @throws ValidationException when the plaintext is larger than {@value #MAX_PLAINTEXT_BYTES} bytes (or
     *     empty, on a provider that requires at least one byte, like AWS KMS)
     * @throws DisabledException when the key is disabled
     * @throws KmsInvalidStateException when the key is pending deletion
     * @throws InvalidKeyUsageException when the key is not an encryption key
     */
    public EncryptResult encrypt(String keyId, byte[] plaintext, Map<String, String> encryptionContext) {
        return checked(Operation.ENCRYPT, () -> Params.of("keyId", keyId,
                        "encryptionContext", safeMap(encryptionContext), "encryptionAlgorithm", "SYMMETRIC_DEFAULT"),
                keyId, () -> {
                    KeyIdentifier key = key(keyId);
                    checkPlaintext(plaintext);
                    EncryptionContext context = EncryptionContext.of(encryptionContext);
                    return () -> provider.encrypt(key, plaintext, context);
                });
    }

    /** Decrypts a ciphertext made with no encryption context. */
    public DecryptResult decrypt(byte[] ciphertextBlob) {
        return decrypt(DecryptRequest.builder().ciphertextBlob(ciphertextBlob).build());
    }

    /** Decrypts a ciphertext made with this encryption context. */
    public DecryptResult decrypt(byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        return decrypt(DecryptRequest.builder().ciphertextBlob(ciphertextBlob)
                .encryptionContext(encryptionContext).build());
    }

    /**
     * Decrypts a ciphertext blob. No key id is needed: the blob names its key and key version.
     *
     * @return the plaintext and the key that decrypted it; close it to wipe the plaintext
     * @throws InvalidCiphertextException when the blob is empty, malformed, truncated, altered, made by another
     *     provider, or the encryption context differs; never retryable
     * @throws IncorrectKeyException when the request names an expected key and the blob was made under another
     * @throws DisabledException when the key is disabled
     * @throws KmsInvalidStateException when the key is pending deletion
     */
    public DecryptResult decrypt(DecryptRequest request) {
        Objects.requireNonNull(request, "request");
        return checked(Operation.DECRYPT, () -> Params.of("keyId", request.keyId(),
                        "encryptionContext", safeMap(request.encryptionContext()),
                        "encryptionAlgorithm", "SYMMETRIC_DEFAULT"),
                request.keyId(), () -> {
                    byte[] blob = request.ciphertextBlob();
                    checkCiphertext(blob);
                    EncryptionContext context = EncryptionContext.of(request.encryptionContext());
                    KeyIdentifier expected = request.keyId() == null ? null : key(request.keyId());
                    return () -> provider.decrypt(blob, context, expected);
                });
    }

    /**
     * Decrypts a ciphertext and encrypts its plaintext under another key or context, without the plaintext
     * leaving the provider.
     *
     * @throws InvalidCiphertextException, IncorrectKeyException, DisabledException as for decrypt and encrypt
     */
    public ReEncryptResult reEncrypt(ReEncryptRequest request) {
        Objects.requireNonNull(request, "request");
        return checked(Operation.RE_ENCRYPT, () -> Params.of("sourceKeyId", request.sourceKeyId(),
                        "sourceEncryptionContext", safeMap(request.sourceEncryptionContext()),
                        "destinationKeyId", request.destinationKeyId(),
                        "destinationEncryptionContext", safeMap(request.destinationEncryptionContext())),
                request.destinationKeyId(), () -> {
                    byte[] blob = request.ciphertextBlob();
                    checkCiphertext(blob);
                    EncryptionContext source = EncryptionContext.of(request.sourceEncryptionContext());
                    KeyIdentifier sourceKey = request.sourceKeyId() == null ? null : key(request.sourceKeyId());
                    KeyIdentifier destination = key(request.destinationKeyId());
                    EncryptionContext destinationContext =
                            EncryptionContext.of(request.destinationEncryptionContext());
                    return () -> provider.reEncrypt(blob, source, sourceKey, destination, destinationContext);
                });
    }

    /** Generates a data key of the given spec with no encryption context. */
    public DataKey generateDataKey(String keyId, DataKeySpec keySpec) {
        return generateDataKey(GenerateDataKeyRequest.builder().keyId(keyId).keySpec(keySpec).build());
    }

    /** Generates a data key of the given spec bound to an encryption context. */
    public DataKey generateDataKey(String keyId, DataKeySpec keySpec, Map<String, String> encryptionContext) {
        return generateDataKey(GenerateDataKeyRequest.builder().keyId(keyId).keySpec(keySpec)
                .encryptionContext(encryptionContext).build());
    }

    /**
     * Generates a data key from a strong random source: the plaintext to encrypt with locally, and the same key
     * encrypted under {@code keyId} to store beside the data.
     *
     * @return the data key; close it to wipe the plaintext
     * @throws ValidationException when both or neither-but-invalid of key spec and byte count are given, or
     *     the count is outside 1 to 1024
     */
    public DataKey generateDataKey(GenerateDataKeyRequest request) {
        return dataKeyCall(Operation.GENERATE_DATA_KEY, request, provider::generateDataKey);
    }

    /** Generates a data key and returns it only encrypted; see {@link #generateDataKey(GenerateDataKeyRequest)}. */
    public EncryptResult generateDataKeyWithoutPlaintext(GenerateDataKeyRequest request) {
        return dataKeyCall(Operation.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT, request,
                provider::generateDataKeyWithoutPlaintext);
    }

    /**
     * Returns random bytes from the provider's generator (an HSM's, where there is one).
     *
     * @param numberOfBytes 1 to 1024
     */
    public byte[] generateRandom(int numberOfBytes) {
        return checked(Operation.GENERATE_RANDOM, () -> Params.of("numberOfBytes", numberOfBytes), null, () -> {
            if (numberOfBytes < 1 || numberOfBytes > MAX_GENERATED_BYTES) {
                throw new ValidationException("numberOfBytes must be 1 to " + MAX_GENERATED_BYTES
                        + ", was " + numberOfBytes);
            }
            return () -> provider.generateRandom(numberOfBytes);
        });
    }

    // ---------------------------------------------------------------- signatures

    /**
     * Signs a message with the private half of an asymmetric key; the private key never leaves the backend.
     *
     * @param request the key (usage {@link KeyUsage#SIGN_VERIFY}), the message or its digest, and the algorithm
     * @return the signature; verify it with {@link #verify} or, outside kms4j, with {@link #getPublicKey}
     * @throws ValidationException when the message is missing, a RAW message is empty or longer than
     *     {@value #MAX_PLAINTEXT_BYTES} bytes, a DIGEST is not the algorithm's digest length, or the algorithm is
     *     missing
     * @throws InvalidKeyUsageException when the key is not a signing key, or the algorithm does not fit its spec
     *     (as AWS KMS reports both)
     * @throws DisabledException when the key is disabled
     * @throws KmsInvalidStateException when the key is pending deletion
     * @throws UnsupportedKmsOperationException when the provider has no asymmetric keys
     */
    public SignResult sign(SignRequest request) {
        Objects.requireNonNull(request, "request");
        return checked(Operation.SIGN, () -> AuditingProvider.signParams(request.keyId(),
                        request.messageType(), request.signingAlgorithm()), request.keyId(), () -> {
                    KeyIdentifier key = key(request.keyId());
                    byte[] message = checkSignedMessage(request);
                    return () -> provider.sign(key, message, request.messageType(), request.signingAlgorithm());
                });
    }

    /**
     * Verifies a signature with an asymmetric key, in the backend.
     *
     * @param request as for {@link #sign}, plus the signature
     * @return the key and algorithm, when the signature is valid for the message
     * @throws KmsInvalidSignatureException when it is not: altered message, signature, key or algorithm, or a
     *     signature that is not well formed
     * @throws ValidationException, InvalidKeyUsageException, DisabledException as for {@link #sign}, and when the
     *     signature is missing, empty or longer than {@value #MAX_SIGNATURE_BYTES} bytes
     */
    public VerifyResult verify(SignRequest request) {
        Objects.requireNonNull(request, "request");
        return checked(Operation.VERIFY, () -> AuditingProvider.signParams(request.keyId(),
                        request.messageType(), request.signingAlgorithm()), request.keyId(), () -> {
                    KeyIdentifier key = key(request.keyId());
                    byte[] message = checkSignedMessage(request);
                    byte[] signature = request.signature();
                    if (signature == null || signature.length == 0 || signature.length > MAX_SIGNATURE_BYTES) {
                        throw new ValidationException("signature must be 1 to " + MAX_SIGNATURE_BYTES + " bytes");
                    }
                    return () -> provider.verify(key, message, request.messageType(), signature,
                            request.signingAlgorithm());
                });
    }

    /**
     * Returns the public half of an asymmetric key (DER-encoded SubjectPublicKeyInfo), to verify signatures or
     * share the key outside kms4j.
     *
     * @throws NotFoundException when no such key exists
     * @throws DisabledException when the key is disabled
     * @throws KmsInvalidStateException when the key is pending deletion
     * @throws UnsupportedKmsOperationException when the key is symmetric, or the provider has no asymmetric keys
     */
    public PublicKeyResult getPublicKey(String keyId) {
        return checked(Operation.GET_PUBLIC_KEY, () -> Params.of("keyId", keyId), keyId, () -> {
            KeyIdentifier key = key(keyId);
            return () -> provider.getPublicKey(key);
        });
    }

    /**
     * Closes the provider and the audit sink. Views made with {@link #forCaller} do nothing here. Idempotent.
     */
    @Override
    public void close() {
        if (ownsResources) {
            try {
                provider.close();
            } finally {
                provider.sink().close();
            }
        }
    }

    // ---------------------------------------------------------------- validation, inside the audit

    /** The data-key operations share validation; the provider method differs. */
    private interface DataKeyMethod<T> {
        T call(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes, EncryptionContext context);
    }

    private <T> T dataKeyCall(Operation op, GenerateDataKeyRequest request, DataKeyMethod<T> method) {
        Objects.requireNonNull(request, "request");
        return checked(op, () -> Params.of("keyId", request.keyId(),
                        "keySpec", request.keySpec() == null ? null : request.keySpec().name(),
                        "numberOfBytes", request.numberOfBytes(),
                        "encryptionContext", safeMap(request.encryptionContext())),
                request.keyId(), () -> {
                    KeyIdentifier key = key(request.keyId());
                    if (request.keySpec() != null && request.numberOfBytes() != null) {
                        throw new ValidationException("give a key spec or a number of bytes, not both");
                    }
                    DataKeySpec spec = request.keySpec() == null && request.numberOfBytes() == null
                            ? DataKeySpec.AES_256 : request.keySpec();
                    int n = spec != null ? spec.lengthInBytes() : request.numberOfBytes();
                    if (n < 1 || n > MAX_GENERATED_BYTES) {
                        throw new ValidationException("numberOfBytes must be 1 to " + MAX_GENERATED_BYTES
                                + ", was " + n);
                    }
                    EncryptionContext context = EncryptionContext.of(request.encryptionContext());
                    return () -> method.call(key, spec, n, context);
                });
    }

    private interface KeyMethod {
        String call(KeyIdentifier key);
    }

    private void simpleKeyCall(Operation op, String keyId, KeyMethod method) {
        checked(op, () -> Params.of("keyId", keyId), keyId, () -> {
            KeyIdentifier key = key(keyId);
            return () -> method.call(key);
        });
    }

    /**
     * Runs validation; when it refuses the request, the refusal is audited and thrown; otherwise the validated
     * call runs through the auditing provider, which audits it.
     */
    private <T> T checked(Operation op, Supplier<Map<String, Object>> params, String keyRef,
                          Supplier<Supplier<T>> validate) {
        Supplier<T> call;
        try {
            call = validate.get();
        } catch (KmsException e) {
            throw provider.rejected(op, params.get(), keyRef, e);
        }
        return call.get();
    }

    private static KeyIdentifier key(String keyId) {
        return KeyIdentifier.of(keyId).requireValid();
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ValidationException("limit must be 1 to 1000, was " + limit);
        }
    }

    private static void checkAliasName(String aliasName) {
        if (!KeyIdentifier.isValidAliasName(aliasName)) {
            throw new InvalidAliasNameException("alias names are alias/ followed by 1 to 250 of [a-zA-Z0-9/_-]: '"
                    + aliasName + "'");
        }
        if (aliasName.startsWith("alias/aws/")) {
            throw new InvalidAliasNameException("alias/aws/ is reserved for AWS managed keys: '" + aliasName + "'");
        }
    }

    private void checkPlaintext(byte[] plaintext) {
        if (plaintext == null) {
            throw new ValidationException("plaintext is required");
        }
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new ValidationException("plaintext is " + plaintext.length + " bytes; Encrypt takes at most "
                    + MAX_PLAINTEXT_BYTES + " bytes. Encrypt larger data locally under a data key "
                    + "(envelope encryption: GenerateDataKey, or io.kms4j.envelope)");
        }
        if (plaintext.length == 0 && !provider.info().has(ProviderInfo.Capability.EMPTY_PLAINTEXT)) {
            throw new ValidationException("plaintext must be 1 to " + MAX_PLAINTEXT_BYTES + " bytes on "
                    + provider.info().name());
        }
    }

    private static byte[] checkSignedMessage(SignRequest request) {
        if (request.signingAlgorithm() == null) {
            throw new ValidationException("signingAlgorithm is required");
        }
        byte[] message = request.message();
        if (message == null) {
            throw new ValidationException("message is required");
        }
        if (request.messageType() == MessageType.DIGEST) {
            if (message.length != request.signingAlgorithm().digestLength()) {
                throw new ValidationException("a " + request.signingAlgorithm().digestAlgorithm() + " digest is "
                        + request.signingAlgorithm().digestLength() + " bytes, the message was " + message.length);
            }
        } else if (message.length == 0 || message.length > MAX_PLAINTEXT_BYTES) {
            throw new ValidationException("message must be 1 to " + MAX_PLAINTEXT_BYTES + " bytes, was "
                    + message.length + "; sign the digest of a larger message (MessageType.DIGEST)");
        }
        return message;
    }

    private static void checkCiphertext(byte[] blob) {
        if (blob == null) {
            throw new ValidationException("ciphertextBlob is required");
        }
        if (blob.length == 0) {
            // An empty blob is a truncated ciphertext: report it as one, on every provider alike.
            throw new InvalidCiphertextException("the ciphertext is empty");
        }
        if (blob.length > MAX_CIPHERTEXT_BYTES) {
            throw new ValidationException("ciphertextBlob is " + blob.length + " bytes; at most "
                    + MAX_CIPHERTEXT_BYTES);
        }
    }

    /** A copy of a caller's map that is safe to log even if it holds nulls (it is then refused anyway). */
    private static Map<String, String> safeMap(Map<String, String> map) {
        return map == null ? Map.of() : new LinkedHashMap<>(map);
    }

    /**
     * Builds a {@link Kms}. Give a provider, or a provider URI to find one with {@link java.util.ServiceLoader}.
     * Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private KmsProvider provider;
        private URI providerUri;
        private final Map<String, String> options = new LinkedHashMap<>();
        private AuditSink auditSink;
        private AuditFailurePolicy auditFailurePolicy = AuditFailurePolicy.FAIL_CLOSED;
        private CallerContext caller;
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Uses this provider; {@link Kms#close()} closes it. */
        public Builder provider(KmsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Finds the provider for this URI's scheme with {@link java.util.ServiceLoader}, for example
         * {@code local:/path/keystore.k4j}, {@code local:memory}, {@code pkcs11:token=kms4j}.
         *
         * @throws ValidationException when the URI is malformed
         */
        public Builder providerUri(String uri) {
            try {
                this.providerUri = new URI(Objects.requireNonNull(uri, "uri"));
            } catch (java.net.URISyntaxException e) {
                throw new ValidationException("malformed provider URI: " + uri, e);
            }
            return this;
        }

        /**
         * Sets a provider option for URI-based creation, for example {@code passphrase-env=KMS4J_PASSPHRASE}.
         * Secrets are never options: options name where to read them.
         */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Where audit events go; by default {@link SystemLoggerAuditSink}. {@link Kms#close()} closes it. */
        public Builder auditSink(AuditSink sink) {
            this.auditSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** What to do when the sink cannot record; by default {@link AuditFailurePolicy#FAIL_CLOSED}. */
        public Builder auditFailurePolicy(AuditFailurePolicy policy) {
            this.auditFailurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The caller recorded in audit events; by default {@link CallerContext#inProcess()}. */
        public Builder caller(CallerContext caller) {
            this.caller = Objects.requireNonNull(caller, "caller");
            return this;
        }

        /** The clock for audit event times and for URI-created providers; by default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The class loader to discover providers with; by default the thread's context class loader. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /**
         * Makes the client, opening the provider when a URI was given.
         *
         * @throws ValidationException when neither or both of provider and URI were given
         * @throws KmsException (typed) when the provider cannot be opened
         */
        public Kms build() {
            if ((provider == null) == (providerUri == null)) {
                throw new ValidationException("give exactly one of provider(...) or providerUri(...)");
            }
            KmsProvider p = provider;
            if (p == null) {
                ClassLoader loader = classLoader != null ? classLoader
                        : Thread.currentThread().getContextClassLoader();
                p = ProviderDiscovery.open(ProviderConfig.of(providerUri, options).withClock(clock),
                        loader != null ? loader : Kms.class.getClassLoader());
            }
            AuditSink sink = auditSink != null ? auditSink : new SystemLoggerAuditSink();
            CallerContext who = caller != null ? caller : CallerContext.inProcess();
            return new Kms(new AuditingProvider(p, sink, who, clock, auditFailurePolicy), true);
        }
    }
}
