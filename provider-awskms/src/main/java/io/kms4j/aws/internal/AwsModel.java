package io.kms4j.aws.internal;

import io.kms4j.KeyMetadata;
import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import io.kms4j.KmsInternalException;
import io.kms4j.SigningAlgorithm;
import io.kms4j.UnsupportedKmsOperationException;
import java.util.Locale;

/**
 * Conversions between the AWS SDK's KMS model and kms4j's value types.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class AwsModel {
    private static final String KEY_MARKER = ":key/";
    private static final String ALIAS_MARKER = ":alias/";

    private AwsModel() {
    }

    /**
     * The short key id inside a key ARN ({@code arn:aws:kms:<region>:<account>:key/<id>}, or a kms4j server's
     * {@code local:key/<id>}); any other string is returned unchanged.
     */
    public static String shortKeyId(String keyIdOrArn) {
        if (keyIdOrArn == null) {
            return null;
        }
        int at = keyIdOrArn.lastIndexOf(KEY_MARKER);
        return at < 0 ? keyIdOrArn : keyIdOrArn.substring(at + KEY_MARKER.length());
    }

    /** Whether a reference is a full key identifier (a key ARN), which needs no look-up to be named. */
    public static boolean isKeyArn(String reference) {
        return reference != null && reference.indexOf(':') > 0 && reference.contains(KEY_MARKER);
    }

    /** Whether a reference is an alias ARN ({@code arn:aws:kms:…:alias/…}). */
    public static boolean isAliasArn(String reference) {
        return reference != null && reference.indexOf(':') > 0 && reference.contains(ALIAS_MARKER);
    }

    /**
     * kms4j's view of AWS key metadata.
     *
     * @throws UnsupportedKmsOperationException when the key is of a usage or spec kms4j does not model (an
     *     HMAC or key-agreement key made outside kms4j), rather than describing it wrongly
     */
    public static KeyMetadata toMetadata(software.amazon.awssdk.services.kms.model.KeyMetadata m) {
        return new KeyMetadata(m.keyId(), m.arn(), m.creationDate(), m.description(), keyUsage(m), keySpec(m),
                keyState(m.keyStateAsString()), m.deletionDate());
    }

    private static KeyUsage keyUsage(software.amazon.awssdk.services.kms.model.KeyMetadata m) {
        return keyUsage(m.keyUsageAsString(), m.arn());
    }

    /**
     * kms4j's usage for AWS's {@code KeyUsage}; absent means AWS's default, ENCRYPT_DECRYPT.
     *
     * @throws UnsupportedKmsOperationException for a usage kms4j does not model (HMAC, key agreement)
     */
    public static KeyUsage keyUsage(String usage, String keyArn) {
        if (usage == null) {
            return KeyUsage.ENCRYPT_DECRYPT; // AWS's default usage; some emulators leave the field out
        }
        try {
            return KeyUsage.valueOf(usage);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKmsOperationException("key " + keyArn + " has key usage " + usage
                    + ", which kms4j does not model");
        }
    }

    private static KeySpec keySpec(software.amazon.awssdk.services.kms.model.KeyMetadata m) {
        return keySpec(m.keySpecAsString() != null ? m.keySpecAsString() : m.customerMasterKeySpecAsString(),
                m.arn());
    }

    /**
     * kms4j's spec for AWS's {@code KeySpec} (or the deprecated {@code CustomerMasterKeySpec}); absent means
     * SYMMETRIC_DEFAULT.
     *
     * @throws UnsupportedKmsOperationException for a spec kms4j does not model (ECC_NIST_P521, HMAC, SM2, …)
     */
    public static KeySpec keySpec(String spec, String keyArn) {
        if (spec == null) {
            return KeySpec.SYMMETRIC_DEFAULT;
        }
        try {
            return KeySpec.valueOf(spec);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKmsOperationException("key " + keyArn + " has key spec " + spec
                    + ", which kms4j does not model");
        }
    }

    /**
     * kms4j's state for an AWS key state. AWS's transient states (Creating, Updating, PendingImport) and
     * Unavailable (a disconnected custom key store) all mean "cannot be used right now": {@link KeyState#UNAVAILABLE}.
     * PendingReplicaDeletion is a deletion in progress.
     */
    public static KeyState keyState(String awsState) {
        if (awsState == null) {
            return KeyState.UNAVAILABLE;
        }
        switch (awsState) {
            case "Enabled":
                return KeyState.ENABLED;
            case "Disabled":
                return KeyState.DISABLED;
            case "PendingDeletion":
            case "PendingReplicaDeletion":
                return KeyState.PENDING_DELETION;
            default:
                return KeyState.UNAVAILABLE;
        }
    }

    /**
     * The signing algorithm AWS reports having used, checked against the one requested: a service that signed or
     * verified with another algorithm than asked is broken, and its answer must not be passed on as if it were
     * the requested one. An absent field (some emulators omit it) means the requested algorithm.
     *
     * @throws io.kms4j.KmsInternalException when AWS names another algorithm
     */
    public static SigningAlgorithm reportedAlgorithm(String reported, SigningAlgorithm requested, String operation) {
        if (reported == null || reported.equals(requested.name())) {
            return requested;
        }
        throw new KmsInternalException("AWS KMS " + operation + " answered for signing algorithm " + reported
                + ", not the requested " + requested);
    }

    /** The AWS spelling of a kms4j key spec, for CreateKey. */
    public static String awsKeySpec(KeySpec spec) {
        return spec.name().toUpperCase(Locale.ROOT);
    }
}
