package io.kms4j.aws;

import io.kms4j.AliasListEntry;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.IncorrectKeyException;
import io.kms4j.KeyIdentifier;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeyState;
import io.kms4j.KeySpec;
import io.kms4j.KmsException;
import io.kms4j.KmsInvalidSignatureException;
import io.kms4j.MessageType;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.ReEncryptResult;
import io.kms4j.RotationType;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.ValidationException;
import io.kms4j.VerifyResult;
import io.kms4j.aws.internal.AwsErrors;
import io.kms4j.aws.internal.AwsModel;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.VerifyResponse;

/**
 * kms4j on AWS KMS, through the AWS SDK for Java v2. Every kms4j operation is the KMS API call of the same
 * name; ciphertext blobs are AWS's own and pass through unchanged, so {@code aws kms decrypt} reads what this
 * provider wrote and the other way round.
 *
 * <pre>{@code
 * try (Kms kms = Kms.builder().provider(AwsKmsProvider.builder().region("eu-west-1").build()).build()) {
 *     byte[] blob = kms.encrypt("alias/orders", plaintext, Map.of("tenant", "acme")).ciphertextBlob();
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>All four AWS key-id forms work everywhere: key id, key ARN, alias name, alias ARN. Key-management
 *       calls, which AWS accepts only by key id or key ARN and only in the caller's account (EnableKey,
 *       ScheduleKeyDeletion, rotation, CreateAlias's target, …), get the short key id: a key ARN is cut down
 *       without a call, other forms are resolved with DescribeKey, which also names the key's ARN for the
 *       audit trail.
 *   <li>Every AWS failure becomes the typed kms4j exception with the same meaning; throttling and timeouts are
 *       retryable, an invalid ciphertext never is (see {@code docs/AWS.md}).
 *   <li>Decrypt and ReEncrypt given an expected key pass it to AWS, which refuses a blob of another key, and
 *       also check the key AWS reports against it before any plaintext is returned.
 *   <li>Asymmetric signing keys (RSA_2048/3072/4096, ECC_NIST_P256/P384) are AWS's own: Sign, Verify and
 *       GetPublicKey are the KMS calls, the private key never leaves AWS, and the provider declares
 *       {@link ProviderInfo.Capability#SIGN_VERIFY}. An invalid signature is always a
 *       {@link KmsInvalidSignatureException}, whether AWS answers with that error or (as some emulators do) with
 *       {@code SignatureValid: false}.
 *   <li>Empty plaintexts are refused, as by AWS; the provider keeps no clock of its own (deletion windows and
 *       rotation periods pass in AWS's time), so it declares no other {@link ProviderInfo.Capability capability}.
 *   <li>Plaintext returned by AWS is copied into kms4j's result types and the SDK's copy is wiped. The SDK's
 *       HTTP layer and its JSON text are outside kms4j's reach; see {@code docs/AWS.md}.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use; the underlying {@link KmsClient} is thread-safe.
 */
public final class AwsKmsProvider implements KmsProvider {
    /** The URI scheme: {@code aws-kms:} (region from the environment) or {@code aws-kms:<region>}. */
    public static final String SCHEME = "aws-kms";
    /** The audit event source, as CloudTrail names AWS KMS. */
    public static final String EVENT_SOURCE = "kms.amazonaws.com";

    private static final int ROTATIONS_PAGE = 1000;

    private final KmsClient client;
    private final boolean ownsClient;
    private final ProviderInfo info;
    private final Clock clock;

    private AwsKmsProvider(KmsClient client, boolean ownsClient, String where) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.info = new ProviderInfo("AWS KMS" + (where == null ? "" : " (" + where + ")"), SCHEME, EVENT_SOURCE,
                false, Set.of(ProviderInfo.Capability.SIGN_VERIFY));
        this.clock = Clock.systemUTC();
    }

    /** A builder for a provider that makes (and closes) its own SDK client. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider on a {@link KmsClient} the application built and configured itself (its HTTP client, metrics,
     * interceptors). The application keeps ownership: {@link #close()} does not close it.
     */
    public static AwsKmsProvider of(KmsClient client) {
        return new AwsKmsProvider(client, false, null);
    }

    @Override
    public ProviderInfo info() {
        return info;
    }

    // ---------------------------------------------------------------- key management

    @Override
    public KeyMetadata createKey(CreateKeyRequest request) {
        return aws("CreateKey", () -> AwsModel.toMetadata(client.createKey(b -> b
                .description(request.description())
                .keyUsage(request.keyUsage().name())
                .keySpec(AwsModel.awsKeySpec(request.keySpec()))).keyMetadata()));
    }

    @Override
    public KeyMetadata describeKey(KeyIdentifier key) {
        return aws("DescribeKey", () -> AwsModel.toMetadata(
                client.describeKey(b -> b.keyId(key.value())).keyMetadata()));
    }

    @Override
    public Page<KeyListEntry> listKeys(int limit, String marker) {
        ListKeysResponse r = aws("ListKeys", () -> client.listKeys(b -> b.limit(limit).marker(marker)));
        List<KeyListEntry> items = new ArrayList<>();
        r.keys().forEach(k -> items.add(new KeyListEntry(k.keyId(), k.keyArn())));
        return new Page<>(items, next(r.truncated(), r.nextMarker()));
    }

    @Override
    public String createAlias(String aliasName, KeyIdentifier targetKey) {
        ResolvedKey key = resolve(targetKey);
        aws("CreateAlias", () -> client.createAlias(b -> b.aliasName(aliasName).targetKeyId(key.keyId())));
        return key.arn();
    }

    @Override
    public String updateAlias(String aliasName, KeyIdentifier targetKey) {
        ResolvedKey key = resolve(targetKey);
        aws("UpdateAlias", () -> client.updateAlias(b -> b.aliasName(aliasName).targetKeyId(key.keyId())));
        return key.arn();
    }

    @Override
    public String deleteAlias(String aliasName) {
        String arn = keyArn(KeyIdentifier.of(aliasName));
        aws("DeleteAlias", () -> client.deleteAlias(b -> b.aliasName(aliasName)));
        return arn;
    }

    @Override
    public Page<AliasListEntry> listAliases(KeyIdentifier key, int limit, String marker) {
        // ListAliases filters by key id or key ARN only; an alias given as the filter is resolved first.
        String keyFilter = key == null ? null
                : key.kind() == KeyIdentifier.Kind.KEY_ID ? key.value() : resolve(key).keyId();
        ListAliasesResponse r = aws("ListAliases",
                () -> client.listAliases(b -> b.keyId(keyFilter).limit(limit).marker(marker)));
        List<AliasListEntry> items = new ArrayList<>();
        for (software.amazon.awssdk.services.kms.model.AliasListEntry a : r.aliases()) {
            // AWS lists its predefined aliases (alias/aws/…) before they point at a key; they name nothing yet.
            if (a.targetKeyId() != null) {
                items.add(new AliasListEntry(a.aliasName(), a.aliasArn(), AwsModel.shortKeyId(a.targetKeyId())));
            }
        }
        return new Page<>(items, next(r.truncated(), r.nextMarker()));
    }

    @Override
    public String enableKey(KeyIdentifier key) {
        ResolvedKey resolved = resolve(key);
        aws("EnableKey", () -> client.enableKey(b -> b.keyId(resolved.keyId())));
        return resolved.arn();
    }

    @Override
    public String disableKey(KeyIdentifier key) {
        ResolvedKey resolved = resolve(key);
        aws("DisableKey", () -> client.disableKey(b -> b.keyId(resolved.keyId())));
        return resolved.arn();
    }

    @Override
    public KeyMetadata scheduleKeyDeletion(KeyIdentifier key, int pendingWindowInDays) {
        KeyMetadata before = describeKey(key);
        ScheduleKeyDeletionResponse r = aws("ScheduleKeyDeletion", () -> client.scheduleKeyDeletion(
                b -> b.keyId(before.keyId()).pendingWindowInDays(pendingWindowInDays)));
        if (r.deletionDate() == null) {
            return describeKey(KeyIdentifier.of(before.arn()));
        }
        return new KeyMetadata(before.keyId(), before.arn(), before.creationDate(), before.description(),
                before.keyUsage(), before.keySpec(), KeyState.PENDING_DELETION, r.deletionDate());
    }

    @Override
    public String cancelKeyDeletion(KeyIdentifier key) {
        ResolvedKey resolved = resolve(key);
        String reported = aws("CancelKeyDeletion",
                () -> client.cancelKeyDeletion(b -> b.keyId(resolved.keyId())).keyId());
        return AwsModel.isKeyArn(reported) ? reported : resolved.arn();
    }

    @Override
    public String enableKeyRotation(KeyIdentifier key, int rotationPeriodInDays) {
        ResolvedKey resolved = resolve(key);
        aws("EnableKeyRotation", () -> client.enableKeyRotation(
                b -> b.keyId(resolved.keyId()).rotationPeriodInDays(rotationPeriodInDays)));
        return resolved.arn();
    }

    @Override
    public String disableKeyRotation(KeyIdentifier key) {
        ResolvedKey resolved = resolve(key);
        aws("DisableKeyRotation", () -> client.disableKeyRotation(b -> b.keyId(resolved.keyId())));
        return resolved.arn();
    }

    @Override
    public KeyRotationStatus getKeyRotationStatus(KeyIdentifier key) {
        String keyId = key.kind() == KeyIdentifier.Kind.KEY_ID ? key.value() : resolve(key).keyId();
        GetKeyRotationStatusResponse r = aws("GetKeyRotationStatus",
                () -> client.getKeyRotationStatus(b -> b.keyId(keyId)));
        boolean enabled = Boolean.TRUE.equals(r.keyRotationEnabled());
        int period = enabled && r.rotationPeriodInDays() != null ? r.rotationPeriodInDays() : 0;
        return new KeyRotationStatus(keyId, enabled, period,
                enabled ? r.nextRotationDate() : null);
    }

    /**
     * Starts an on-demand rotation. AWS numbers no key versions; the version reported is one more than the
     * rotations AWS lists for the key afterwards (the original material being version 1), which can lag while
     * AWS is still completing the rotation.
     */
    @Override
    public KeyRotation rotateKeyOnDemand(KeyIdentifier key) {
        String keyId = key.kind() == KeyIdentifier.Kind.KEY_ID ? key.value() : resolve(key).keyId();
        aws("RotateKeyOnDemand", () -> client.rotateKeyOnDemand(b -> b.keyId(keyId)));
        List<KeyRotation> rotations = listKeyRotations(KeyIdentifier.of(keyId));
        Instant when = rotations.isEmpty() ? clock.instant() : rotations.get(rotations.size() - 1).rotationDate();
        return new KeyRotation(keyId, rotations.size() + 1, when, RotationType.ON_DEMAND);
    }

    @Override
    public List<KeyRotation> listKeyRotations(KeyIdentifier key) {
        String keyId = key.kind() == KeyIdentifier.Kind.KEY_ID ? key.value() : resolve(key).keyId();
        List<RotationsListEntry> entries = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            ListKeyRotationsResponse r = aws("ListKeyRotations",
                    () -> client.listKeyRotations(b -> b.keyId(keyId).limit(ROTATIONS_PAGE).marker(page)));
            entries.addAll(r.rotations());
            marker = next(r.truncated(), r.nextMarker());
        } while (marker != null);
        entries.sort(Comparator.comparing(RotationsListEntry::rotationDate,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        List<KeyRotation> rotations = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            RotationsListEntry e = entries.get(i);
            RotationType type = "AUTOMATIC".equals(e.rotationTypeAsString()) ? RotationType.AUTOMATIC
                    : RotationType.ON_DEMAND;
            Instant date = e.rotationDate() != null ? e.rotationDate() : Instant.EPOCH;
            rotations.add(new KeyRotation(keyId, i + 2, date, type));
        }
        return rotations;
    }

    // ---------------------------------------------------------------- cryptography

    @Override
    public EncryptResult encrypt(KeyIdentifier key, byte[] plaintext, EncryptionContext context) {
        // fromByteArrayUnsafe: the SDK reads the caller's array while serialising and keeps no reference.
        var r = aws("Encrypt", () -> client.encrypt(b -> b.keyId(key.value())
                .plaintext(SdkBytes.fromByteArrayUnsafe(plaintext))
                .encryptionContext(contextOrNull(context))));
        return EncryptResult.of(r.ciphertextBlob().asByteArrayUnsafe(), r.keyId());
    }

    @Override
    public DecryptResult decrypt(byte[] ciphertextBlob, EncryptionContext context, KeyIdentifier expectedKey) {
        DecryptResponse r = aws("Decrypt", () -> client.decrypt(b -> b
                .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(ciphertextBlob))
                .encryptionContext(contextOrNull(context))
                .keyId(expectedKey == null ? null : expectedKey.value())));
        byte[] plaintext = r.plaintext().asByteArrayUnsafe();
        try {
            checkExpectedKey(expectedKey, r.keyId());
            return DecryptResult.of(plaintext, r.keyId());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public ReEncryptResult reEncrypt(byte[] ciphertextBlob, EncryptionContext sourceContext, KeyIdentifier sourceKey,
                                     KeyIdentifier destinationKey, EncryptionContext destinationContext) {
        ReEncryptResponse r = aws("ReEncrypt", () -> client.reEncrypt(b -> b
                .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(ciphertextBlob))
                .sourceEncryptionContext(contextOrNull(sourceContext))
                .sourceKeyId(sourceKey == null ? null : sourceKey.value())
                .destinationKeyId(destinationKey.value())
                .destinationEncryptionContext(contextOrNull(destinationContext))));
        checkExpectedKey(sourceKey, r.sourceKeyId());
        return ReEncryptResult.of(r.ciphertextBlob().asByteArrayUnsafe(), r.keyId(), r.sourceKeyId());
    }

    @Override
    public DataKey generateDataKey(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                   EncryptionContext context) {
        GenerateDataKeyResponse r = aws("GenerateDataKey", () -> client.generateDataKey(b -> {
            b.keyId(key.value()).encryptionContext(contextOrNull(context));
            if (keySpec != null) {
                b.keySpec(keySpec.name());
            } else {
                b.numberOfBytes(numberOfBytes);
            }
        }));
        byte[] plaintext = r.plaintext().asByteArrayUnsafe();
        try {
            return DataKey.of(plaintext, r.ciphertextBlob().asByteArrayUnsafe(), r.keyId());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public EncryptResult generateDataKeyWithoutPlaintext(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                                         EncryptionContext context) {
        var r = aws("GenerateDataKeyWithoutPlaintext", () -> client.generateDataKeyWithoutPlaintext(b -> {
            b.keyId(key.value()).encryptionContext(contextOrNull(context));
            if (keySpec != null) {
                b.keySpec(keySpec.name());
            } else {
                b.numberOfBytes(numberOfBytes);
            }
        }));
        return EncryptResult.of(r.ciphertextBlob().asByteArrayUnsafe(), r.keyId());
    }

    @Override
    public byte[] generateRandom(int numberOfBytes) {
        byte[] random = aws("GenerateRandom", () -> client.generateRandom(b -> b.numberOfBytes(numberOfBytes)))
                .plaintext().asByteArrayUnsafe();
        if (random.length != numberOfBytes) {
            // A service that answers with the wrong length is broken; never hand out short randomness.
            throw KmsException.of(io.kms4j.KmsErrorCode.INTERNAL, "AWS KMS GenerateRandom returned "
                    + random.length + " bytes, not " + numberOfBytes, null);
        }
        return random;
    }

    // ---------------------------------------------------------------- signatures

    @Override
    public SignResult sign(KeyIdentifier key, byte[] message, MessageType messageType,
                           SigningAlgorithm signingAlgorithm) {
        // fromByteArrayUnsafe: the SDK reads the caller's array while serialising and keeps no reference.
        SignResponse r = aws("Sign", () -> client.sign(b -> b.keyId(key.value())
                .message(SdkBytes.fromByteArrayUnsafe(message))
                .messageType(messageType.name())
                .signingAlgorithm(signingAlgorithm.name())));
        SigningAlgorithm used = AwsModel.reportedAlgorithm(r.signingAlgorithmAsString(), signingAlgorithm, "Sign");
        if (r.signature() == null || r.signature().asByteArrayUnsafe().length == 0) {
            throw KmsException.of(io.kms4j.KmsErrorCode.INTERNAL, "AWS KMS Sign returned no signature", null);
        }
        return SignResult.of(reportedKeyArn(r.keyId(), key), r.signature().asByteArrayUnsafe(), used);
    }

    /**
     * Verifies in AWS. AWS answers an invalid signature with {@code KMSInvalidSignatureException}, which the
     * error mapping turns into {@link KmsInvalidSignatureException}; an answer of {@code SignatureValid} false or
     * absent is treated the same way, so no endpoint can make an invalid signature pass unnoticed.
     */
    @Override
    public VerifyResult verify(KeyIdentifier key, byte[] message, MessageType messageType, byte[] signature,
                               SigningAlgorithm signingAlgorithm) {
        VerifyResponse r = aws("Verify", () -> client.verify(b -> b.keyId(key.value())
                .message(SdkBytes.fromByteArrayUnsafe(message))
                .messageType(messageType.name())
                .signature(SdkBytes.fromByteArrayUnsafe(signature))
                .signingAlgorithm(signingAlgorithm.name())));
        SigningAlgorithm used = AwsModel.reportedAlgorithm(r.signingAlgorithmAsString(), signingAlgorithm, "Verify");
        if (!Boolean.TRUE.equals(r.signatureValid())) {
            throw new KmsInvalidSignatureException("AWS KMS Verify: the signature is not valid for the message "
                    + "with key " + key.value() + " and " + signingAlgorithm);
        }
        return new VerifyResult(reportedKeyArn(r.keyId(), key), used);
    }

    /**
     * The public key from AWS. A key AWS reports as symmetric has none: that is refused with
     * {@link UnsupportedKmsOperationException}, as AWS itself does, even if an endpoint answers with some key.
     */
    @Override
    public PublicKeyResult getPublicKey(KeyIdentifier key) {
        GetPublicKeyResponse r = aws("GetPublicKey", () -> client.getPublicKey(b -> b.keyId(key.value())));
        String arn = reportedKeyArn(r.keyId(), key);
        KeySpec spec = AwsModel.keySpec(r.keySpecAsString() != null ? r.keySpecAsString()
                : r.customerMasterKeySpecAsString(), arn);
        if (spec.isSymmetric() || r.publicKey() == null) {
            throw new UnsupportedKmsOperationException("key " + arn + " is symmetric; it has no public key");
        }
        return PublicKeyResult.of(arn, r.publicKey().asByteArrayUnsafe(), spec,
                AwsModel.keyUsage(r.keyUsageAsString(), arn));
    }

    /** Closes the SDK client when this provider built it; a client passed to {@link #of} stays open. */
    @Override
    public void close() {
        if (ownsClient) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // close() never throws, by the SPI's contract; the SDK releases what it can.
            }
        }
    }

    @Override
    public String toString() {
        return "AwsKmsProvider[" + info.name() + "]";
    }

    // ---------------------------------------------------------------- helpers

    /** A key named both ways: its id, for the management call, and its ARN, for the audit trail. */
    private record ResolvedKey(String keyId, String arn) {
    }

    /**
     * Resolves a reference for a key-management call. AWS takes only a key id or key ARN there, and the key
     * must be in the caller's account, so the short key id is always valid; the ARN names it in the audit
     * trail. A key ARN needs no look-up; a key id, an alias or an alias ARN is resolved with DescribeKey.
     */
    private ResolvedKey resolve(KeyIdentifier key) {
        if (AwsModel.isKeyArn(key.value())) {
            return new ResolvedKey(AwsModel.shortKeyId(key.value()), key.value());
        }
        var m = aws("DescribeKey", () -> client.describeKey(b -> b.keyId(key.value())).keyMetadata());
        return new ResolvedKey(m.keyId(), m.arn());
    }

    /**
     * The key ARN AWS reports for a call. AWS always sends the ARN; for an endpoint that sends only the short key
     * id, or nothing (moto's GetPublicKey), the reference is resolved, so results always name the key by its ARN.
     */
    private String reportedKeyArn(String reported, KeyIdentifier key) {
        return AwsModel.isKeyArn(reported) ? reported : keyArn(key);
    }

    /** The key ARN a reference names. */
    private String keyArn(KeyIdentifier key) {
        return resolve(key).arn();
    }

    /**
     * Checks the key AWS says it used against the one the caller expected. AWS checks too; this makes the
     * guarantee independent of the endpoint (an emulator, a proxy) doing so.
     */
    private void checkExpectedKey(KeyIdentifier expected, String actualArn) {
        if (expected == null) {
            return;
        }
        boolean matches;
        if (expected.kind() == KeyIdentifier.Kind.KEY_ID) {
            matches = expected.value().equals(AwsModel.shortKeyId(actualArn));
        } else if (AwsModel.isKeyArn(expected.value())) {
            matches = expected.value().equals(actualArn);
        } else {
            matches = keyArn(expected).equals(actualArn);
        }
        if (!matches) {
            throw new IncorrectKeyException("the ciphertext was made under " + actualArn + ", not under the expected "
                    + expected.value());
        }
    }

    private static Map<String, String> contextOrNull(EncryptionContext context) {
        return context == null || context.isEmpty() ? null : context.asMap();
    }

    /** The next page's marker, or null: AWS's paginators need both Truncated and a marker to go on. */
    private static String next(Boolean truncated, String marker) {
        return Boolean.TRUE.equals(truncated) && marker != null && !marker.isEmpty() ? marker : null;
    }

    private static <T> T aws(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw AwsErrors.toKms(operation, e);
        }
    }

    /**
     * Builds an {@link AwsKmsProvider} with its own SDK client. Everything unset keeps the SDK's default: the
     * region and credentials from the standard provider chains (environment, system properties, profile files,
     * web identity, container and instance metadata), the SDK's time-outs and its retry strategy.
     *
     * <p>Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private Region region;
        private URI endpoint;
        private String profile;
        private AwsCredentialsProvider credentials;
        private Duration connectionTimeout;
        private Duration socketTimeout;
        private Duration apiCallTimeout;
        private Duration apiCallAttemptTimeout;
        private RetryMode retryMode;
        private Integer maxAttempts;

        private Builder() {
        }

        /** The AWS region, for example {@code "eu-west-1"}; by default from the SDK's region chain. */
        public Builder region(String region) {
            this.region = Region.of(Objects.requireNonNull(region, "region"));
            return this;
        }

        /** Another endpoint than AWS's for the region: a VPC endpoint, FIPS endpoint, or a KMS-compatible server. */
        public Builder endpointOverride(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** Reads credentials from this profile of the shared config and credentials files. */
        public Builder profile(String profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The credentials to sign with; by default the SDK's standard credentials chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** How long to wait for a TCP connection; SDK default otherwise. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connectionTimeout");
            return this;
        }

        /** How long to wait for data on an open connection; SDK default otherwise. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = positive(timeout, "socketTimeout");
            return this;
        }

        /** The limit for a whole call, retries included; none by default. */
        public Builder apiCallTimeout(Duration timeout) {
            this.apiCallTimeout = positive(timeout, "apiCallTimeout");
            return this;
        }

        /** The limit for each attempt of a call; none by default. */
        public Builder apiCallAttemptTimeout(Duration timeout) {
            this.apiCallAttemptTimeout = positive(timeout, "apiCallAttemptTimeout");
            return this;
        }

        /** The SDK's retry mode ({@code LEGACY}, {@code STANDARD}, {@code ADAPTIVE_V2}); SDK default otherwise. */
        public Builder retryMode(RetryMode mode) {
            this.retryMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The most attempts per call, first one included; 1 turns retries off.
         *
         * @throws ValidationException when below 1
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new ValidationException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Builds the SDK client and the provider. No call is made to AWS yet.
         *
         * @throws ValidationException when no region is configured anywhere, or the configuration is invalid
         */
        public AwsKmsProvider build() {
            KmsClientBuilder b = KmsClient.builder();
            if (region != null) {
                b.region(region);
            }
            if (endpoint != null) {
                b.endpointOverride(endpoint);
            }
            if (credentials != null) {
                b.credentialsProvider(credentials);
            } else if (profile != null) {
                b.credentialsProvider(ProfileCredentialsProvider.create(profile));
            }
            UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
            if (connectionTimeout != null) {
                http.connectionTimeout(connectionTimeout);
            }
            if (socketTimeout != null) {
                http.socketTimeout(socketTimeout);
            }
            b.httpClientBuilder(http);
            ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder();
            if (apiCallTimeout != null) {
                o.apiCallTimeout(apiCallTimeout);
            }
            if (apiCallAttemptTimeout != null) {
                o.apiCallAttemptTimeout(apiCallAttemptTimeout);
            }
            if (retryMode != null || maxAttempts != null) {
                RetryStrategy strategy = retryMode == null ? AwsRetryStrategy.defaultRetryStrategy()
                        : AwsRetryStrategy.forRetryMode(retryMode);
                if (maxAttempts != null) {
                    strategy = strategy.toBuilder().maxAttempts(maxAttempts).build();
                }
                o.retryStrategy(strategy);
            }
            b.overrideConfiguration(o.build());
            KmsClient client;
            try {
                client = b.build();
            } catch (SdkException | IllegalArgumentException | IllegalStateException e) {
                throw new ValidationException("cannot configure the AWS KMS client: " + e.getMessage(), e);
            }
            String where = (region != null ? region.id() : "region from the environment")
                    + (endpoint != null ? ", endpoint " + endpoint : "");
            return new AwsKmsProvider(client, true, where);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new ValidationException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
