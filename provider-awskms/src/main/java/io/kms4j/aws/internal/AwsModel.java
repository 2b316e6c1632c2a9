package io.kms4j.aws.internal;

import io.kms4j.KeyMetadata;
import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
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
        String usage = m.keyUsageAsString();
        if (usage == null) {
            return KeyUsage.ENCRYPT_DECRYPT; // AWS's default usage; some emulators leave the field out
        }
        try {
            return KeyUsage.valueOf(usage);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKmsOperationException("key " + m.arn() + " has key usage " + usage
                    + ", which kms4j does not model");
        }
    }

    private static KeySpec keySpec(software.amazon.awssdk.services.kms.model.KeyMetadata m) {
        String spec = m.keySpecAsString() != null ? m.keySpecAsString() : m.customerMasterKeySpecAsString();
        if (spec == null) {
            return KeySpec.SYMMETRIC_DEFAULT;
        }
        try {
            return KeySpec.valueOf(spec);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKmsOperationException("key " + m.arn() + " has key spec " + spec
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

    /** The AWS spelling of a kms4j key spec, for CreateKey. */
    public static String awsKeySpec(KeySpec spec) {
        return spec.name().toUpperCase(Locale.ROOT);
    }
}
