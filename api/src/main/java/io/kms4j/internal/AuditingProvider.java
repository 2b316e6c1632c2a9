package io.kms4j.internal;

import io.kms4j.AliasListEntry;
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
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.MessageType;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.ReEncryptResult;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.VerifyResult;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditFailurePolicy;
import io.kms4j.audit.AuditResource;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.CallerContext;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderInfo;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.security.auth.Destroyable;

/**
 * The one place audit events are made: a decorator around any {@link KmsProvider} that records exactly one
 * event for every call, whether it succeeds or fails, before the result reaches the caller.
 *
 * <p>Request parameters in events are the non-secret ones only (key ids, encryption context, key spec, byte
 * counts, alias names); plaintext, ciphertext blobs and key material never reach the event. Error messages
 * are kms4j's own, which by contract name keys and never secrets; an untyped exception that escapes a provider
 * (a provider bug) is replaced by a {@link KmsInternalException} naming only its class.
 *
 * <p>Not API: {@link io.kms4j.Kms} builds and owns it. Thread safety: immutable and safe for concurrent use when
 * its delegate and sink are.
 */
public final class AuditingProvider implements KmsProvider {
    private static final System.Logger LOG = System.getLogger(AuditingProvider.class.getName());

    private final KmsProvider delegate;
    private final AuditSink sink;
    private final CallerContext caller;
    private final Clock clock;
    private final AuditFailurePolicy failurePolicy;
    private final String eventSource;

    public AuditingProvider(KmsProvider delegate, AuditSink sink, CallerContext caller, Clock clock,
                            AuditFailurePolicy failurePolicy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
        this.eventSource = delegate.info().eventSource();
    }

    /** The same decorator recording a different caller. */
    public AuditingProvider withCaller(CallerContext newCaller) {
        return new AuditingProvider(delegate, sink, newCaller, clock, failurePolicy);
    }

    /** The provider behind the decorator. */
    public KmsProvider delegate() {
        return delegate;
    }

    /** The sink events go to. */
    public AuditSink sink() {
        return sink;
    }

    /**
     * Records a request that was refused before it reached the provider (by kms4j's validation), so that even
     * malformed requests leave a trail, then returns the exception for the caller to throw.
     */
    public KmsException rejected(Operation op, Map<String, Object> params, String keyRef, KmsException error) {
        try {
            emit(op, params, keyRef == null ? List.of() : List.of(keyRef), null, error);
        } catch (RuntimeException auditFailure) {
            error.addSuppressed(auditFailure);
        }
        return error;
    }

    @Override
    public ProviderInfo info() {
        return delegate.info();
    }

    @Override
    public KeyMetadata createKey(CreateKeyRequest request) {
        return call(Operation.CREATE_KEY, Params.of("description", request.description(),
                        "keyUsage", request.keyUsage().name(), "keySpec", request.keySpec().name()), null,
                () -> delegate.createKey(request), KeyMetadata::arn, AuditingProvider::keyMetadataElements);
    }

    @Override
    public KeyMetadata describeKey(KeyIdentifier key) {
        return call(Operation.DESCRIBE_KEY, Params.of("keyId", key.value()), key.value(),
                () -> delegate.describeKey(key), KeyMetadata::arn, null);
    }

    @Override
    public Page<KeyListEntry> listKeys(int limit, String marker) {
        return call(Operation.LIST_KEYS, Params.of("limit", limit, "marker", marker), null,
                () -> delegate.listKeys(limit, marker), null, null);
    }

    @Override
    public String createAlias(String aliasName, KeyIdentifier targetKey) {
        return call(Operation.CREATE_ALIAS, Params.of("aliasName", aliasName, "targetKeyId", targetKey.value()),
                targetKey.value(), () -> delegate.createAlias(aliasName, targetKey), Function.identity(), null);
    }

    @Override
    public String updateAlias(String aliasName, KeyIdentifier targetKey) {
        return call(Operation.UPDATE_ALIAS, Params.of("aliasName", aliasName, "targetKeyId", targetKey.value()),
                targetKey.value(), () -> delegate.updateAlias(aliasName, targetKey), Function.identity(), null);
    }

    @Override
    public String deleteAlias(String aliasName) {
        return call(Operation.DELETE_ALIAS, Params.of("aliasName", aliasName), null,
                () -> delegate.deleteAlias(aliasName), Function.identity(), null);
    }

    @Override
    public Page<AliasListEntry> listAliases(KeyIdentifier key, int limit, String marker) {
        String keyRef = key == null ? null : key.value();
        return call(Operation.LIST_ALIASES, Params.of("keyId", keyRef, "limit", limit, "marker", marker), keyRef,
                () -> delegate.listAliases(key, limit, marker), null, null);
    }

    @Override
    public String enableKey(KeyIdentifier key) {
        return call(Operation.ENABLE_KEY, Params.of("keyId", key.value()), key.value(),
                () -> delegate.enableKey(key), Function.identity(), null);
    }

    @Override
    public String disableKey(KeyIdentifier key) {
        return call(Operation.DISABLE_KEY, Params.of("keyId", key.value()), key.value(),
                () -> delegate.disableKey(key), Function.identity(), null);
    }

    @Override
    public KeyMetadata scheduleKeyDeletion(KeyIdentifier key, int pendingWindowInDays) {
        return call(Operation.SCHEDULE_KEY_DELETION,
                Params.of("keyId", key.value(), "pendingWindowInDays", pendingWindowInDays), key.value(),
                () -> delegate.scheduleKeyDeletion(key, pendingWindowInDays), KeyMetadata::arn,
                m -> Params.of("keyId", m.arn(), "keyState", m.keyState().awsName(),
                        "deletionDate", m.deletionDate(), "pendingWindowInDays", pendingWindowInDays));
    }

    @Override
    public String cancelKeyDeletion(KeyIdentifier key) {
        return call(Operation.CANCEL_KEY_DELETION, Params.of("keyId", key.value()), key.value(),
                () -> delegate.cancelKeyDeletion(key), Function.identity(), null);
    }

    @Override
    public String enableKeyRotation(KeyIdentifier key, int rotationPeriodInDays) {
        return call(Operation.ENABLE_KEY_ROTATION,
                Params.of("keyId", key.value(), "rotationPeriodInDays", rotationPeriodInDays), key.value(),
                () -> delegate.enableKeyRotation(key, rotationPeriodInDays), Function.identity(), null);
    }

    @Override
    public String disableKeyRotation(KeyIdentifier key) {
        return call(Operation.DISABLE_KEY_ROTATION, Params.of("keyId", key.value()), key.value(),
                () -> delegate.disableKeyRotation(key), Function.identity(), null);
    }

    @Override
    public KeyRotationStatus getKeyRotationStatus(KeyIdentifier key) {
        return call(Operation.GET_KEY_ROTATION_STATUS, Params.of("keyId", key.value()), key.value(),
                () -> delegate.getKeyRotationStatus(key), null, null);
    }

    @Override
    public KeyRotation rotateKeyOnDemand(KeyIdentifier key) {
        return call(Operation.ROTATE_KEY_ON_DEMAND, Params.of("keyId", key.value()), key.value(),
                () -> delegate.rotateKeyOnDemand(key), null,
                r -> Params.of("keyId", r.keyId(), "keyVersion", r.keyVersion()));
    }

    @Override
    public List<KeyRotation> listKeyRotations(KeyIdentifier key) {
        return call(Operation.LIST_KEY_ROTATIONS, Params.of("keyId", key.value()), key.value(),
                () -> delegate.listKeyRotations(key), null, null);
    }

    @Override
    public EncryptResult encrypt(KeyIdentifier key, byte[] plaintext, EncryptionContext context) {
        return call(Operation.ENCRYPT, Params.of("keyId", key.value(), "encryptionContext", context.asMap(),
                        "encryptionAlgorithm", "SYMMETRIC_DEFAULT"), key.value(),
                () -> delegate.encrypt(key, plaintext, context), EncryptResult::keyId, null);
    }

    @Override
    public DecryptResult decrypt(byte[] ciphertextBlob, EncryptionContext context, KeyIdentifier expectedKey) {
        String keyRef = expectedKey == null ? null : expectedKey.value();
        return call(Operation.DECRYPT, Params.of("keyId", keyRef, "encryptionContext", context.asMap(),
                        "encryptionAlgorithm", "SYMMETRIC_DEFAULT"), keyRef,
                () -> delegate.decrypt(ciphertextBlob, context, expectedKey), DecryptResult::keyId, null);
    }

    @Override
    public ReEncryptResult reEncrypt(byte[] ciphertextBlob, EncryptionContext sourceContext, KeyIdentifier sourceKey,
                                     KeyIdentifier destinationKey, EncryptionContext destinationContext) {
        String sourceRef = sourceKey == null ? null : sourceKey.value();
        Map<String, Object> params = Params.of("sourceKeyId", sourceRef,
                "sourceEncryptionContext", sourceContext.asMap(), "destinationKeyId", destinationKey.value(),
                "destinationEncryptionContext", destinationContext.asMap(),
                "sourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT", "destinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return call(Operation.RE_ENCRYPT, params, destinationKey.value(),
                () -> delegate.reEncrypt(ciphertextBlob, sourceContext, sourceKey, destinationKey, destinationContext),
                null, null, r -> List.of(r.sourceKeyId(), r.keyId()));
    }

    @Override
    public DataKey generateDataKey(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                   EncryptionContext context) {
        return call(Operation.GENERATE_DATA_KEY, dataKeyParams(key, keySpec, numberOfBytes, context), key.value(),
                () -> delegate.generateDataKey(key, keySpec, numberOfBytes, context), DataKey::keyId, null);
    }

    @Override
    public EncryptResult generateDataKeyWithoutPlaintext(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                                         EncryptionContext context) {
        return call(Operation.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
                dataKeyParams(key, keySpec, numberOfBytes, context), key.value(),
                () -> delegate.generateDataKeyWithoutPlaintext(key, keySpec, numberOfBytes, context),
                EncryptResult::keyId, null);
    }

    @Override
    public byte[] generateRandom(int numberOfBytes) {
        return call(Operation.GENERATE_RANDOM, Params.of("numberOfBytes", numberOfBytes), null,
                () -> delegate.generateRandom(numberOfBytes), null, null);
    }

    @Override
    public SignResult sign(KeyIdentifier key, byte[] message, MessageType messageType,
                           SigningAlgorithm signingAlgorithm) {
        return call(Operation.SIGN, signParams(key.value(), messageType, signingAlgorithm), key.value(),
                () -> delegate.sign(key, message, messageType, signingAlgorithm), SignResult::keyId, null);
    }

    @Override
    public VerifyResult verify(KeyIdentifier key, byte[] message, MessageType messageType, byte[] signature,
                               SigningAlgorithm signingAlgorithm) {
        return call(Operation.VERIFY, signParams(key.value(), messageType, signingAlgorithm), key.value(),
                () -> delegate.verify(key, message, messageType, signature, signingAlgorithm), VerifyResult::keyId,
                null);
    }

    @Override
    public PublicKeyResult getPublicKey(KeyIdentifier key) {
        return call(Operation.GET_PUBLIC_KEY, Params.of("keyId", key.value()), key.value(),
                () -> delegate.getPublicKey(key), PublicKeyResult::keyId, null);
    }

    /**
     * The request parameters of Sign and Verify, shared by the facade's rejection path. As in CloudTrail, the
     * message and the signature are never recorded.
     */
    public static Map<String, Object> signParams(String keyRef, MessageType messageType,
                                                 SigningAlgorithm signingAlgorithm) {
        return Params.of("keyId", keyRef,
                "messageType", messageType == null ? null : messageType.name(),
                "signingAlgorithm", signingAlgorithm == null ? null : signingAlgorithm.name());
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The request parameters of the data-key operations, shared by the facade's rejection path. */
    public static Map<String, Object> dataKeyParams(KeyIdentifier key, DataKeySpec keySpec, Integer numberOfBytes,
                                                    EncryptionContext context) {
        return Params.of("keyId", key == null ? null : key.value(), "keySpec", keySpec == null ? null : keySpec.name(),
                "numberOfBytes", keySpec == null ? numberOfBytes : null,
                "encryptionContext", context == null ? null : context.asMap());
    }

    private static Map<String, Object> keyMetadataElements(KeyMetadata m) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("keyId", m.keyId());
        metadata.put("arn", m.arn());
        metadata.put("keyState", m.keyState().awsName());
        metadata.put("keyUsage", m.keyUsage().name());
        metadata.put("keySpec", m.keySpec().name());
        metadata.put("creationDate", m.creationDate());
        Map<String, Object> elements = new LinkedHashMap<>();
        elements.put("keyMetadata", metadata);
        return elements;
    }

    private <T> T call(Operation op, Map<String, Object> params, String keyRef, Supplier<T> action,
                       Function<T, String> resourceOf, Function<T, Map<String, Object>> responseOf) {
        return call(op, params, keyRef, action, resourceOf, responseOf, null);
    }

    private <T> T call(Operation op, Map<String, Object> params, String keyRef, Supplier<T> action,
                       Function<T, String> resourceOf, Function<T, Map<String, Object>> responseOf,
                       Function<T, List<String>> resourcesOf) {
        T result;
        try {
            result = action.get();
        } catch (KmsException e) {
            recordFailure(op, params, keyRef, e);
            throw e;
        } catch (RuntimeException e) {
            // A provider let a lower-layer exception escape: a bug, but the caller still gets a typed error,
            // and the message of the lower layer (which could quote anything) is not repeated.
            KmsInternalException typed = new KmsInternalException(
                    op.eventName() + " failed inside the provider (" + e.getClass().getName() + ")", e);
            recordFailure(op, params, keyRef, typed);
            throw typed;
        }
        List<String> resources;
        if (resourcesOf != null) {
            resources = resourcesOf.apply(result);
        } else if (resourceOf != null) {
            resources = List.of(resourceOf.apply(result));
        } else {
            resources = keyRef == null ? List.of() : List.of(keyRef);
        }
        try {
            emit(op, params, resources, responseOf == null ? null : responseOf.apply(result), null);
        } catch (RuntimeException auditFailure) {
            if (failurePolicy == AuditFailurePolicy.FAIL_OPEN) {
                LOG.log(System.Logger.Level.ERROR, "audit sink failed; returning the " + op.eventName()
                        + " result anyway (fail-open policy)", auditFailure);
                return result;
            }
            wipe(result);
            throw new KmsInternalException("the audit sink could not record the " + op.eventName()
                    + " event, so the operation was refused (fail closed)", auditFailure);
        }
        return result;
    }

    private void recordFailure(Operation op, Map<String, Object> params, String keyRef, KmsException error) {
        try {
            emit(op, params, keyRef == null ? List.of() : List.of(keyRef), null, error);
        } catch (RuntimeException auditFailure) {
            error.addSuppressed(auditFailure);
        }
    }

    private void emit(Operation op, Map<String, Object> params, List<String> resources,
                      Map<String, Object> response, KmsException error) {
        AuditEvent.Builder b = AuditEvent.builder()
                .eventTime(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .eventSource(eventSource)
                .eventName(op.eventName())
                .requestId(UUID.randomUUID().toString())
                .eventId(UUID.randomUUID().toString())
                .caller(caller)
                .requestParameters(params.isEmpty() ? null : params)
                .responseElements(response)
                .readOnly(op.readOnly());
        for (String arn : resources) {
            if (arn != null) {
                b.resource(AuditResource.key(arn));
            }
        }
        if (error != null) {
            b.error(error.awsErrorCode(), error.getMessage());
        }
        sink.record(b.build());
    }

    private static void wipe(Object result) {
        if (result instanceof Destroyable) {
            try {
                ((Destroyable) result).destroy();
            } catch (javax.security.auth.DestroyFailedException ignored) {
                // Our own holders never fail to destroy; nothing more can be done for others.
            }
        } else if (result instanceof byte[]) {
            java.util.Arrays.fill((byte[]) result, (byte) 0);
        }
    }
}
