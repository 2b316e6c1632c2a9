package io.kms4j.server.internal;

import io.kms4j.AliasListEntry;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptResult;
import io.kms4j.GenerateDataKeyRequest;
import io.kms4j.InvalidKeyUsageException;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeySpec;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.MessageType;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.ReEncryptRequest;
import io.kms4j.ReEncryptResult;
import io.kms4j.SignRequest;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.VerifyResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KMS operations the server answers, each turning a parsed JSON request into one {@link Kms} call and the
 * result into AWS's JSON response. The {@code Kms} passed in is the per-request view that records the caller
 * in the audit trail; every call made here therefore leaves exactly one audit event.
 *
 * <h2>What is checked here, and what by {@code Kms}</h2>
 * The request's shape is checked here, as AWS's front end checks it: JSON types, base64, required members,
 * enum values, and AWS's minimum of one byte of Plaintext, Message and Signature (a backend such as the local
 * provider accepts empty plaintexts; a client of an AWS-compatible endpoint must see AWS's answer). Everything
 * else (sizes, ranges, alias names, key states, key usage) is checked by {@code Kms}, inside the audited call. Parameters
 * kms4j cannot honour (key policies, tags, grants, custom key stores, multi-Region keys, dry runs, enclave
 * recipients) are refused with {@code UnsupportedOperationException} rather than silently ignored; grant
 * tokens are ignored, as kms4j has no grants to check them against.
 *
 * <p>Not API. Thread safety: stateless; safe for concurrent use.
 */
public final class KmsOperations {
    /** The prefix of every KMS {@code X-Amz-Target}. */
    public static final String TARGET_PREFIX = "TrentService.";

    /** Every operation of the KMS API, so that those kms4j lacks are told apart from unknown names. */
    private static final Set<String> AWS_OPERATIONS = Set.of("CancelKeyDeletion", "ConnectCustomKeyStore",
            "CreateAlias", "CreateCustomKeyStore", "CreateGrant", "CreateKey", "Decapsulate", "Decrypt",
            "DeleteAlias", "DeleteCustomKeyStore", "DeleteImportedKeyMaterial", "DeriveSharedSecret",
            "DescribeCustomKeyStores", "DescribeKey", "DisableKey", "DisableKeyRotation", "DisconnectCustomKeyStore",
            "EnableKey", "EnableKeyRotation", "Encapsulate", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac",
            "GenerateRandom", "GetKeyLastUsage", "GetKeyPolicy", "GetKeyRotationStatus", "GetParametersForImport",
            "GetPublicKey", "ImportKeyMaterial", "ListAliases", "ListGrants", "ListKeyPolicies", "ListKeyRotations",
            "ListKeys", "ListResourceTags", "ListRetirableGrants", "PutKeyPolicy", "ReEncrypt", "ReplicateKey",
            "RetireGrant", "RevokeGrant", "RotateKeyOnDemand", "ScheduleKeyDeletion", "Sign", "TagResource",
            "UntagResource", "UpdateAlias", "UpdateCustomKeyStore", "UpdateKeyDescription", "UpdatePrimaryRegion",
            "Verify", "VerifyMac");

    private static final List<String> KEY_USAGES =
            List.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");
    private static final List<String> KEY_SPECS = List.of("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096",
            "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519",
            "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87",
            "ML_KEM_512", "ML_KEM_768", "ML_KEM_1024");
    private static final List<String> ORIGINS = List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    private static final List<String> ENCRYPTION_ALGORITHMS =
            List.of("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE");
    private static final List<String> DATA_KEY_SPECS = List.of("AES_256", "AES_128");
    /** AWS's whole SigningAlgorithmSpec enum; kms4j's keys sign with a subset ({@link SigningAlgorithm}). */
    private static final List<String> SIGNING_ALGORITHMS = List.of("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384",
            "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA",
            "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512");
    private static final List<String> MESSAGE_TYPES = List.of("RAW", "DIGEST", "EXTERNAL_MU");
    private static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

    private interface Handler {
        WireResponse handle(Kms kms, RequestFields in);
    }

    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    /** The operations kms4j implements. */
    public KmsOperations() {
        handlers.put("CreateKey", KmsOperations::createKey);
        handlers.put("DescribeKey", (kms, in) -> keyMetadata(kms.describeKey(in.requiredString("KeyId"))));
        handlers.put("ListKeys", KmsOperations::listKeys);
        handlers.put("CreateAlias", (kms, in) -> {
            kms.createAlias(in.requiredString("AliasName"), in.requiredString("TargetKeyId"));
            return WireResponse.empty();
        });
        handlers.put("UpdateAlias", (kms, in) -> {
            kms.updateAlias(in.requiredString("AliasName"), in.requiredString("TargetKeyId"));
            return WireResponse.empty();
        });
        handlers.put("DeleteAlias", (kms, in) -> {
            kms.deleteAlias(in.requiredString("AliasName"));
            return WireResponse.empty();
        });
        handlers.put("ListAliases", KmsOperations::listAliases);
        handlers.put("EnableKey", (kms, in) -> {
            kms.enableKey(in.requiredString("KeyId"));
            return WireResponse.empty();
        });
        handlers.put("DisableKey", (kms, in) -> {
            kms.disableKey(in.requiredString("KeyId"));
            return WireResponse.empty();
        });
        handlers.put("ScheduleKeyDeletion", KmsOperations::scheduleKeyDeletion);
        handlers.put("CancelKeyDeletion", (kms, in) -> {
            String keyId = in.requiredString("KeyId");
            kms.cancelKeyDeletion(keyId);
            return WireResponse.of(members("KeyId", keyId));
        });
        handlers.put("EnableKeyRotation", (kms, in) -> {
            String keyId = in.requiredString("KeyId");
            Integer period = in.integer("RotationPeriodInDays");
            kms.enableKeyRotation(keyId, period == null ? Kms.DEFAULT_ROTATION_PERIOD_DAYS : period);
            return WireResponse.empty();
        });
        handlers.put("DisableKeyRotation", (kms, in) -> {
            kms.disableKeyRotation(in.requiredString("KeyId"));
            return WireResponse.empty();
        });
        handlers.put("GetKeyRotationStatus", KmsOperations::getKeyRotationStatus);
        handlers.put("RotateKeyOnDemand", (kms, in) -> {
            KeyRotation r = kms.rotateKeyOnDemand(in.requiredString("KeyId"));
            return WireResponse.of(members("KeyId", r.keyId()));
        });
        handlers.put("ListKeyRotations", KmsOperations::listKeyRotations);
        handlers.put("Encrypt", KmsOperations::encrypt);
        handlers.put("Decrypt", KmsOperations::decrypt);
        handlers.put("ReEncrypt", KmsOperations::reEncrypt);
        handlers.put("GenerateDataKey", KmsOperations::generateDataKey);
        handlers.put("GenerateDataKeyWithoutPlaintext", KmsOperations::generateDataKeyWithoutPlaintext);
        handlers.put("GenerateRandom", KmsOperations::generateRandom);
        handlers.put("Sign", KmsOperations::sign);
        handlers.put("Verify", KmsOperations::verify);
        handlers.put("GetPublicKey", KmsOperations::getPublicKey);
    }

    /** The names of the operations answered, for documentation and tests. */
    public Set<String> supported() {
        return handlers.keySet();
    }

    /**
     * The operation an {@code X-Amz-Target} header names.
     *
     * @throws WireError UnknownOperationException for a missing or unknown target, UnsupportedOperationException
     *     for a KMS operation kms4j does not implement
     */
    public String operationFor(String target) {
        if (target == null || target.isEmpty()) {
            throw WireError.unknownOperation("The request has no X-Amz-Target header; expected "
                    + TARGET_PREFIX + "<Operation>.");
        }
        String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
        if (operation != null && handlers.containsKey(operation)) {
            return operation;
        }
        if (operation != null && AWS_OPERATIONS.contains(operation)) {
            throw WireError.unsupported(operation + " is a KMS operation that kms4j does not implement.");
        }
        throw WireError.unknownOperation("Unknown operation " + abbreviate(target) + ".");
    }

    /**
     * Runs an operation.
     *
     * @param operation a name returned by {@link #operationFor}
     * @throws WireError when the request's shape is wrong
     * @throws io.kms4j.KmsException when kms4j refuses or fails the call
     */
    public WireResponse invoke(String operation, Kms kms, RequestFields in) {
        return handlers.get(operation).handle(kms, in);
    }

    // ---------------------------------------------------------------- key management

    private static WireResponse createKey(Kms kms, RequestFields in) {
        refuse(in, "Policy", "key policies");
        refuseNonEmptyList(in, "Tags", "tags");
        refuse(in, "CustomKeyStoreId", "custom key stores");
        refuse(in, "XksKeyId", "external key stores");
        if (Boolean.TRUE.equals(in.bool("MultiRegion"))) {
            throw WireError.unsupported("kms4j does not support multi-Region keys.");
        }
        String origin = in.enumValue("Origin", ORIGINS);
        if (origin != null && !origin.equals("AWS_KMS")) {
            throw WireError.unsupported("kms4j creates keys of origin AWS_KMS only, not " + origin + ".");
        }
        in.bool("BypassPolicyLockoutSafetyCheck"); // type-checked; meaningless without key policies
        String usage = in.enumValue("KeyUsage", KEY_USAGES);
        String spec = in.enumValue("KeySpec", KEY_SPECS);
        String legacySpec = in.enumValue("CustomerMasterKeySpec", KEY_SPECS);
        if (spec != null && legacySpec != null) {
            throw WireError.validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
                    + "CustomerMasterKeySpec is deprecated.");
        }
        String effectiveSpec = spec != null ? spec : legacySpec;
        KeyUsage keyUsage = null;
        if (usage != null) {
            if (!usage.equals("ENCRYPT_DECRYPT") && !usage.equals("SIGN_VERIFY")) {
                throw WireError.unsupported("kms4j does not support keys of usage " + usage + ".");
            }
            keyUsage = KeyUsage.valueOf(usage);
        }
        KeySpec keySpec = null;
        if (effectiveSpec != null) {
            try {
                keySpec = KeySpec.valueOf(effectiveSpec);
            } catch (IllegalArgumentException e) {
                throw WireError.unsupported("kms4j does not support keys of spec " + effectiveSpec + ".");
            }
        }
        return keyMetadata(kms.createKey(new CreateKeyRequest(in.string("Description"), keyUsage, keySpec)));
    }

    private static WireResponse listKeys(Kms kms, RequestFields in) {
        Integer limit = in.integer("Limit");
        Page<KeyListEntry> page = kms.listKeys(limit == null ? 100 : limit, in.string("Marker"));
        List<Object> keys = new ArrayList<>();
        for (KeyListEntry e : page.items()) {
            keys.add(members("KeyId", e.keyId(), "KeyArn", e.keyArn()));
        }
        Map<String, Object> out = members("Keys", keys);
        paging(out, page);
        return WireResponse.of(out);
    }

    private static WireResponse listAliases(Kms kms, RequestFields in) {
        Integer limit = in.integer("Limit");
        Page<AliasListEntry> page = kms.listAliases(in.string("KeyId"), limit == null ? 50 : limit,
                in.string("Marker"));
        List<Object> aliases = new ArrayList<>();
        for (AliasListEntry e : page.items()) {
            aliases.add(members("AliasName", e.aliasName(), "AliasArn", e.aliasArn(),
                    "TargetKeyId", e.targetKeyId()));
        }
        Map<String, Object> out = members("Aliases", aliases);
        paging(out, page);
        return WireResponse.of(out);
    }

    private static WireResponse scheduleKeyDeletion(Kms kms, RequestFields in) {
        String keyId = in.requiredString("KeyId");
        Integer window = in.integer("PendingWindowInDays");
        int days = window == null ? 30 : window;
        KeyMetadata m = kms.scheduleKeyDeletion(keyId, days);
        Map<String, Object> out = members("KeyId", m.arn(), "KeyState", m.keyState().awsName(),
                "PendingWindowInDays", days);
        if (m.deletionDate() != null) {
            out.put("DeletionDate", WireResponse.timestamp(m.deletionDate()));
        }
        return WireResponse.of(out);
    }

    private static WireResponse getKeyRotationStatus(Kms kms, RequestFields in) {
        KeyRotationStatus s = kms.getKeyRotationStatus(in.requiredString("KeyId"));
        Map<String, Object> out = members("KeyId", s.keyId(), "KeyRotationEnabled", s.rotationEnabled());
        if (s.rotationEnabled()) {
            out.put("RotationPeriodInDays", s.rotationPeriodInDays());
        }
        if (s.nextRotationDate() != null) {
            out.put("NextRotationDate", WireResponse.timestamp(s.nextRotationDate()));
        }
        return WireResponse.of(out);
    }

    /** kms4j lists a key's rotations whole; the server pages them for AWS clients, with its own markers. */
    private static WireResponse listKeyRotations(Kms kms, RequestFields in) {
        String keyId = in.requiredString("KeyId");
        Integer limitMember = in.integer("Limit");
        int limit = limitMember == null ? 100 : limitMember;
        if (limit < 1 || limit > 1000) {
            throw WireError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000");
        }
        String marker = in.string("Marker");
        in.bool("IncludeKeyMaterial");
        List<KeyRotation> all = kms.listKeyRotations(keyId);
        int from = marker == null ? 0 : rotationMarker(marker, all.size());
        int to = Math.min(all.size(), from + limit);
        List<Object> rotations = new ArrayList<>();
        for (KeyRotation r : all.subList(from, to)) {
            rotations.add(members("KeyId", r.keyId(), "RotationDate", WireResponse.timestamp(r.rotationDate()),
                    "RotationType", r.rotationType().name()));
        }
        Map<String, Object> out = members("Rotations", rotations, "Truncated", to < all.size());
        if (to < all.size()) {
            out.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("rotations:" + to).getBytes(StandardCharsets.US_ASCII)));
        }
        return WireResponse.of(out);
    }

    private static int rotationMarker(String marker, int size) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.US_ASCII);
            if (text.startsWith("rotations:")) {
                int from = Integer.parseInt(text.substring("rotations:".length()));
                if (from > 0 && from <= size) {
                    return from;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new io.kms4j.InvalidMarkerException("the marker was not issued by this server for this listing");
    }

    // ---------------------------------------------------------------- cryptography

    private static WireResponse encrypt(Kms kms, RequestFields in) {
        noDryRun(in);
        symmetricOnly(in, "EncryptionAlgorithm");
        String keyId = in.requiredString("KeyId");
        byte[] plaintext = in.requiredBlob("Plaintext");
        try {
            if (plaintext.length == 0) {
                throw WireError.validation("1 validation error detected: Value at 'plaintext' failed to satisfy "
                        + "constraint: Member must have length greater than or equal to 1");
            }
            EncryptResult r = kms.encrypt(keyId, plaintext, in.stringMap("EncryptionContext"));
            return WireResponse.of(members("CiphertextBlob", WireResponse.blob(r.ciphertextBlob()),
                    "KeyId", r.keyId(), "EncryptionAlgorithm", SYMMETRIC_DEFAULT));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static WireResponse decrypt(Kms kms, RequestFields in) {
        noDryRun(in);
        refuse(in, "Recipient", "Nitro Enclaves recipients");
        symmetricOnly(in, "EncryptionAlgorithm");
        byte[] blob = in.requiredBlob("CiphertextBlob");
        try (DecryptResult r = kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob)
                .encryptionContext(in.stringMap("EncryptionContext")).keyId(in.string("KeyId")).build())) {
            byte[] plaintext = r.plaintext();
            try {
                return WireResponse.withPlaintext(members("KeyId", r.keyId(),
                        "EncryptionAlgorithm", SYMMETRIC_DEFAULT), plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private static WireResponse reEncrypt(Kms kms, RequestFields in) {
        noDryRun(in);
        symmetricOnly(in, "SourceEncryptionAlgorithm");
        symmetricOnly(in, "DestinationEncryptionAlgorithm");
        byte[] blob = in.requiredBlob("CiphertextBlob");
        String destination = in.requiredString("DestinationKeyId");
        ReEncryptResult r = kms.reEncrypt(ReEncryptRequest.builder().ciphertextBlob(blob)
                .sourceEncryptionContext(in.stringMap("SourceEncryptionContext"))
                .sourceKeyId(in.string("SourceKeyId"))
                .destinationKeyId(destination)
                .destinationEncryptionContext(in.stringMap("DestinationEncryptionContext")).build());
        return WireResponse.of(members("CiphertextBlob", WireResponse.blob(r.ciphertextBlob()),
                "SourceKeyId", r.sourceKeyId(), "KeyId", r.keyId(),
                "SourceEncryptionAlgorithm", SYMMETRIC_DEFAULT, "DestinationEncryptionAlgorithm", SYMMETRIC_DEFAULT));
    }

    private static WireResponse generateDataKey(Kms kms, RequestFields in) {
        noDryRun(in);
        refuse(in, "Recipient", "Nitro Enclaves recipients");
        try (DataKey k = kms.generateDataKey(dataKeyRequest(in))) {
            byte[] plaintext = k.plaintext();
            try {
                return WireResponse.withPlaintext(members("CiphertextBlob", WireResponse.blob(k.ciphertextBlob()),
                        "KeyId", k.keyId()), plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private static WireResponse generateDataKeyWithoutPlaintext(Kms kms, RequestFields in) {
        noDryRun(in);
        EncryptResult r = kms.generateDataKeyWithoutPlaintext(dataKeyRequest(in));
        return WireResponse.of(members("CiphertextBlob", WireResponse.blob(r.ciphertextBlob()), "KeyId", r.keyId()));
    }

    /** AWS requires exactly one of KeySpec and NumberOfBytes; kms4j's default of AES_256 is not AWS's contract. */
    private static GenerateDataKeyRequest dataKeyRequest(RequestFields in) {
        String keyId = in.requiredString("KeyId");
        String spec = in.enumValue("KeySpec", DATA_KEY_SPECS);
        Integer numberOfBytes = in.integer("NumberOfBytes");
        if (spec == null && numberOfBytes == null) {
            throw WireError.validation("Please specify either number of bytes or key spec.");
        }
        GenerateDataKeyRequest.Builder b = GenerateDataKeyRequest.builder().keyId(keyId)
                .encryptionContext(in.stringMap("EncryptionContext"));
        if (spec != null) {
            b.keySpec(DataKeySpec.valueOf(spec));
        }
        if (numberOfBytes != null) {
            b.numberOfBytes(numberOfBytes);
        }
        return b.build();
    }

    private static WireResponse generateRandom(Kms kms, RequestFields in) {
        refuse(in, "CustomKeyStoreId", "custom key stores");
        refuse(in, "Recipient", "Nitro Enclaves recipients");
        Integer n = in.integer("NumberOfBytes");
        if (n == null) {
            throw WireError.validation("NumberOfBytes is required.");
        }
        byte[] random = kms.generateRandom(n);
        try {
            return WireResponse.withPlaintext(Map.of(), random);
        } finally {
            Arrays.fill(random, (byte) 0);
        }
    }

    // ---------------------------------------------------------------- signatures

    private static WireResponse sign(Kms kms, RequestFields in) {
        noDryRun(in);
        SignResult r = kms.sign(signRequest(in, false));
        return WireResponse.of(members("KeyId", r.keyId(), "Signature", WireResponse.blob(r.signature()),
                "SigningAlgorithm", r.signingAlgorithm().name()));
    }

    /** A valid signature answers {@code SignatureValid: true}; an invalid one is the error, as in AWS. */
    private static WireResponse verify(Kms kms, RequestFields in) {
        noDryRun(in);
        VerifyResult r = kms.verify(signRequest(in, true));
        return WireResponse.of(members("KeyId", r.keyId(), "SignatureValid", r.signatureValid(),
                "SigningAlgorithm", r.signingAlgorithm().name()));
    }

    private static WireResponse getPublicKey(Kms kms, RequestFields in) {
        in.list("GrantTokens");
        PublicKeyResult r = kms.getPublicKey(in.requiredString("KeyId"));
        return WireResponse.of(members("KeyId", r.keyId(), "PublicKey", WireResponse.blob(r.publicKey()),
                "CustomerMasterKeySpec", r.keySpec().name(), "KeySpec", r.keySpec().name(),
                "KeyUsage", r.keyUsage().name(), "SigningAlgorithms", names(r.signingAlgorithms())));
    }

    /**
     * Sign's and Verify's request, shape-checked as AWS's front end does: required members, AWS's enums, and
     * the model's minimum of one byte for Message and Signature. An algorithm or message type that AWS knows but
     * no kms4j key signs with (ECDSA_SHA_512, SM2DSA, ML-DSA, Ed25519, EXTERNAL_MU) is the wrong usage for every
     * key kms4j can hold: {@code InvalidKeyUsageException}, as AWS answers an algorithm the key does not support.
     */
    private static SignRequest signRequest(RequestFields in, boolean withSignature) {
        String keyId = in.requiredString("KeyId");
        byte[] message = in.requiredBlob("Message");
        if (message.length == 0) {
            throw lengthAtLeastOne("message");
        }
        String type = in.enumValue("MessageType", MESSAGE_TYPES);
        String algorithm = in.enumValue("SigningAlgorithm", SIGNING_ALGORITHMS);
        if (algorithm == null) {
            throw RequestFields.missing("SigningAlgorithm");
        }
        SignRequest.Builder b = SignRequest.builder().keyId(keyId).message(message);
        if (withSignature) {
            byte[] signature = in.requiredBlob("Signature");
            if (signature.length == 0) {
                throw lengthAtLeastOne("signature");
            }
            b.signature(signature);
        }
        if ("EXTERNAL_MU".equals(type)) {
            throw new InvalidKeyUsageException("MessageType EXTERNAL_MU is for ML_DSA keys, which kms4j does not "
                    + "hold; use RAW or DIGEST.");
        }
        SigningAlgorithm signingAlgorithm;
        try {
            signingAlgorithm = SigningAlgorithm.valueOf(algorithm);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyUsageException("SigningAlgorithm " + algorithm + " is not valid for any key kms4j "
                    + "holds (RSA_2048/3072/4096, ECC_NIST_P256, ECC_NIST_P384).");
        }
        return b.messageType(type == null ? MessageType.RAW : MessageType.valueOf(type))
                .signingAlgorithm(signingAlgorithm).build();
    }

    private static WireError lengthAtLeastOne(String member) {
        return WireError.validation("1 validation error detected: Value at '" + member + "' failed to satisfy "
                + "constraint: Member must have length greater than or equal to 1");
    }

    // ---------------------------------------------------------------- wire shapes

    /** AWS's KeyMetadata for a kms4j key; timestamps as epoch seconds. */
    static WireResponse keyMetadata(KeyMetadata m) {
        Map<String, Object> md = members("KeyId", m.keyId(), "Arn", m.arn(),
                "CreationDate", WireResponse.timestamp(m.creationDate()), "Enabled", m.enabled(),
                "Description", m.description(), "KeyUsage", m.keyUsage().name(), "KeyState", m.keyState().awsName());
        if (m.deletionDate() != null) {
            md.put("DeletionDate", WireResponse.timestamp(m.deletionDate()));
        }
        md.put("Origin", "AWS_KMS");
        md.put("KeyManager", "CUSTOMER");
        md.put("CustomerMasterKeySpec", m.keySpec().name());
        md.put("KeySpec", m.keySpec().name());
        if (m.keyUsage() == KeyUsage.ENCRYPT_DECRYPT) {
            md.put("EncryptionAlgorithms", List.of(SYMMETRIC_DEFAULT));
        } else {
            md.put("SigningAlgorithms", names(m.signingAlgorithms()));
        }
        md.put("MultiRegion", false);
        return WireResponse.of(members("KeyMetadata", md));
    }

    /** AWS's names of signing algorithms, in kms4j's (declaration) order. */
    private static List<String> names(List<SigningAlgorithm> algorithms) {
        List<String> out = new ArrayList<>();
        for (SigningAlgorithm a : algorithms) {
            out.add(a.name());
        }
        return out;
    }

    /** Truncated and NextMarker together, as AWS's paginators need them. */
    private static void paging(Map<String, Object> out, Page<?> page) {
        out.put("Truncated", page.truncated());
        if (page.truncated()) {
            out.put("NextMarker", page.nextMarker());
        }
    }

    private static void noDryRun(RequestFields in) {
        if (Boolean.TRUE.equals(in.bool("DryRun"))) {
            throw WireError.unsupported("kms4j does not support DryRun.");
        }
        if (in.has("DryRunModifiers")) {
            throw WireError.unsupported("kms4j does not support DryRunModifiers.");
        }
        in.list("GrantTokens");
    }

    /** kms4j's encryption keys are symmetric: the asymmetric algorithms are the wrong usage for them, as in AWS. */
    private static void symmetricOnly(RequestFields in, String member) {
        String algorithm = in.enumValue(member, ENCRYPTION_ALGORITHMS);
        if (algorithm != null && !algorithm.equals(SYMMETRIC_DEFAULT)) {
            throw new InvalidKeyUsageException("The request " + member + " " + algorithm
                    + " is not valid for symmetric encryption keys; use SYMMETRIC_DEFAULT.");
        }
    }

    private static void refuse(RequestFields in, String member, String what) {
        if (in.has(member)) {
            throw WireError.unsupported("kms4j does not support " + what + " (" + member + ").");
        }
    }

    private static void refuseNonEmptyList(RequestFields in, String member, String what) {
        List<?> list = in.list(member);
        if (list != null && !list.isEmpty()) {
            throw WireError.unsupported("kms4j does not support " + what + " (" + member + ").");
        }
    }

    private static Map<String, Object> members(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
