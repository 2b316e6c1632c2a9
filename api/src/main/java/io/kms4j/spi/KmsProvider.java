package io.kms4j.spi;

import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.KeyIdentifier;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.AliasListEntry;
import io.kms4j.KmsException;
import io.kms4j.MessageType;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.ReEncryptResult;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.VerifyResult;
import java.util.Arrays;
import java.util.List;

/**
 * What a key-management backend implements. Applications never call this directly: they call
 * {@link io.kms4j.Kms}, which validates every request, resolves nothing itself, and routes each call through
 * the one auditing decorator before it reaches the provider.
 *
 * <h2>Contract for implementors</h2>
 * <ul>
 *   <li>Arguments arrive already validated by {@code Kms}: key identifiers are well formed (not
 *       {@link KeyIdentifier.Kind#INVALID}), sizes are within AWS KMS's limits, contexts are canonical. A
 *       provider still checks what only it can know (that a key exists, its state, its usage).
 *   <li>Key identifiers may be in any {@link KeyIdentifier.Kind form}; the provider resolves aliases and its
 *       own URIs, and treats a URI it does not own as not found.
 *   <li>Every failure is a {@link KmsException} subclass with the right code. No exception from a lower layer
 *       escapes untyped; messages name keys, never key material, plaintext or PINs.
 *   <li>No method returns, logs or stores key material outside the backend. Plaintext passed in is read
 *       during the call and never retained; plaintext buffers the provider makes are wiped before returning.
 *   <li>Methods that act on a key return the key's full identifier (ARN or key URI), for the audit trail.
 *   <li>Implementations are safe for concurrent use by many threads.
 * </ul>
 *
 * <p>The SPI grows only by default methods documented with {@code @implSpec}, so providers written against an
 * earlier version keep compiling.
 */
public interface KmsProvider extends AutoCloseable {

    /** What this provider is: name, scheme, audit event source, and capabilities. */
    ProviderInfo info();

    /** Creates a key and returns its metadata. */
    KeyMetadata createKey(CreateKeyRequest request);

    /** Describes a key in any state, including pending deletion. */
    KeyMetadata describeKey(KeyIdentifier key);

    /**
     * Lists keys in a stable order.
     *
     * @param limit the most entries to return, 1 to 1000
     * @param marker a marker from a previous page, or null for the first page
     * @throws io.kms4j.InvalidMarkerException when the marker was not issued by this provider
     */
    Page<KeyListEntry> listKeys(int limit, String marker);

    /**
     * Creates an alias.
     *
     * @return the full identifier of the target key
     * @throws io.kms4j.AlreadyExistsException when the alias exists
     */
    String createAlias(String aliasName, KeyIdentifier targetKey);

    /**
     * Points an existing alias at another key.
     *
     * @return the full identifier of the new target key
     */
    String updateAlias(String aliasName, KeyIdentifier targetKey);

    /**
     * Deletes an alias; the key it pointed to is unaffected.
     *
     * @return the full identifier of the key the alias pointed to
     */
    String deleteAlias(String aliasName);

    /**
     * Lists aliases, all of them or those of one key, in a stable order.
     *
     * @param key the key whose aliases to list, or null for all
     */
    Page<AliasListEntry> listAliases(KeyIdentifier key, int limit, String marker);

    /** Enables a disabled key; returns its full identifier. */
    String enableKey(KeyIdentifier key);

    /** Disables an enabled key; returns its full identifier. */
    String disableKey(KeyIdentifier key);

    /**
     * Schedules a key's deletion after a waiting period; the key is unusable meanwhile.
     *
     * @param pendingWindowInDays 7 to 30
     * @return the key's metadata in state {@code PendingDeletion}, with its deletion date
     */
    KeyMetadata scheduleKeyDeletion(KeyIdentifier key, int pendingWindowInDays);

    /** Cancels a scheduled deletion; the key becomes disabled, as in AWS KMS. Returns its full identifier. */
    String cancelKeyDeletion(KeyIdentifier key);

    /**
     * Turns automatic rotation on.
     *
     * @param rotationPeriodInDays 90 to 2560
     * @return the key's full identifier
     */
    String enableKeyRotation(KeyIdentifier key, int rotationPeriodInDays);

    /** Turns automatic rotation off; returns the key's full identifier. */
    String disableKeyRotation(KeyIdentifier key);

    /** Reports whether automatic rotation is on. */
    KeyRotationStatus getKeyRotationStatus(KeyIdentifier key);

    /** Makes a new key version now; later encryptions use it, earlier ciphertexts still decrypt. */
    KeyRotation rotateKeyOnDemand(KeyIdentifier key);

    /** The rotations of a key, oldest first. */
    List<KeyRotation> listKeyRotations(KeyIdentifier key);

    /**
     * Encrypts up to 4096 bytes under a symmetric key, binding the encryption context.
     *
     * @param plaintext read during the call, never retained
     * @return a ciphertext blob that names the key and key version
     */
    EncryptResult encrypt(KeyIdentifier key, byte[] plaintext, EncryptionContext context);

    /**
     * Decrypts a ciphertext blob made by this provider.
     *
     * @param expectedKey the key the ciphertext must have been made under, or null for any
     * @throws io.kms4j.InvalidCiphertextException when the blob is malformed, altered, not this provider's,
     *     or the context differs
     * @throws io.kms4j.IncorrectKeyException when {@code expectedKey} names a different key
     */
    DecryptResult decrypt(byte[] ciphertextBlob, EncryptionContext context, KeyIdentifier expectedKey);

    /**
     * Decrypts and re-encrypts under another key or context, without the plaintext leaving the provider.
     *
     * @implSpec The default decrypts with {@link #decrypt}, encrypts with {@link #encrypt}, and wipes the
     *     intermediate plaintext. Providers whose backend has a native ReEncrypt override it.
     */
    default ReEncryptResult reEncrypt(byte[] ciphertextBlob, EncryptionContext sourceContext, KeyIdentifier sourceKey,
                                      KeyIdentifier destinationKey, EncryptionContext destinationContext) {
        try (DecryptResult decrypted = decrypt(ciphertextBlob, sourceContext, sourceKey)) {
            byte[] plaintext = decrypted.plaintext();
            try {
                EncryptResult encrypted = encrypt(destinationKey, plaintext, destinationContext);
                return ReEncryptResult.of(encrypted.ciphertextBlob(), encrypted.keyId(), decrypted.keyId());
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /**
     * Generates a data key from a strong random source and returns it in plaintext and encrypted under the key.
     *
     * @param keySpec the spec the caller asked for, or null when it asked for a byte count
     * @param numberOfBytes the data key length, 1 to 1024 (derived from the spec when one was given)
     */
    DataKey generateDataKey(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes, EncryptionContext context);

    /**
     * Generates a data key and returns it only encrypted under the key.
     *
     * @implSpec The default calls {@link #generateDataKey} and destroys the plaintext before returning.
     */
    default EncryptResult generateDataKeyWithoutPlaintext(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                                          EncryptionContext context) {
        try (DataKey dataKey = generateDataKey(key, keySpec, numberOfBytes, context)) {
            return EncryptResult.of(dataKey.ciphertextBlob(), dataKey.keyId());
        }
    }

    /**
     * Returns cryptographically strong random bytes from the backend's generator.
     *
     * @param numberOfBytes 1 to 1024
     */
    byte[] generateRandom(int numberOfBytes);

    /**
     * Signs a message, or its digest, with the private half of an asymmetric {@code SIGN_VERIFY} key.
     *
     * @param message 1 to 4096 bytes when {@code messageType} is RAW; exactly the algorithm's digest length when
     *     it is DIGEST (both checked by {@code Kms})
     * @throws io.kms4j.InvalidKeyUsageException when the key is not a signing key
     * @throws io.kms4j.ValidationException when the algorithm does not fit the key's spec
     * @implSpec The default refuses: providers that can sign override it and claim
     *     {@link ProviderInfo.Capability#SIGN_VERIFY}.
     */
    default SignResult sign(KeyIdentifier key, byte[] message, MessageType messageType,
                            SigningAlgorithm signingAlgorithm) {
        throw new UnsupportedKmsOperationException(info().name() + " cannot sign");
    }

    /**
     * Verifies a signature with an asymmetric {@code SIGN_VERIFY} key.
     *
     * @return the key and algorithm, when the signature is valid
     * @throws io.kms4j.KmsInvalidSignatureException when it is not (including a malformed signature)
     * @implSpec The default refuses, as {@link #sign} does.
     */
    default VerifyResult verify(KeyIdentifier key, byte[] message, MessageType messageType, byte[] signature,
                                SigningAlgorithm signingAlgorithm) {
        throw new UnsupportedKmsOperationException(info().name() + " cannot verify signatures");
    }

    /**
     * Returns the public half of an asymmetric key.
     *
     * @throws io.kms4j.UnsupportedKmsOperationException when the key is symmetric
     * @implSpec The default refuses, as {@link #sign} does.
     */
    default PublicKeyResult getPublicKey(KeyIdentifier key) {
        throw new UnsupportedKmsOperationException(info().name() + " has no asymmetric keys");
    }

    /** Releases the backend's resources (sessions, files, connections). Idempotent; never throws. */
    @Override
    void close();
}
