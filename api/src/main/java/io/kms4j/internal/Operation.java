package io.kms4j.internal;

/**
 * The operations kms4j audits, with their AWS event names and whether they change state.
 *
 * <p>Not API. Thread safety: immutable enum constants.
 */
public enum Operation {
    CREATE_KEY("CreateKey", false),
    DESCRIBE_KEY("DescribeKey", true),
    LIST_KEYS("ListKeys", true),
    CREATE_ALIAS("CreateAlias", false),
    UPDATE_ALIAS("UpdateAlias", false),
    DELETE_ALIAS("DeleteAlias", false),
    LIST_ALIASES("ListAliases", true),
    ENABLE_KEY("EnableKey", false),
    DISABLE_KEY("DisableKey", false),
    SCHEDULE_KEY_DELETION("ScheduleKeyDeletion", false),
    CANCEL_KEY_DELETION("CancelKeyDeletion", false),
    ENABLE_KEY_ROTATION("EnableKeyRotation", false),
    DISABLE_KEY_ROTATION("DisableKeyRotation", false),
    GET_KEY_ROTATION_STATUS("GetKeyRotationStatus", true),
    ROTATE_KEY_ON_DEMAND("RotateKeyOnDemand", false),
    LIST_KEY_ROTATIONS("ListKeyRotations", true),
    ENCRYPT("Encrypt", true),
    DECRYPT("Decrypt", true),
    RE_ENCRYPT("ReEncrypt", true),
    GENERATE_DATA_KEY("GenerateDataKey", true),
    GENERATE_DATA_KEY_WITHOUT_PLAINTEXT("GenerateDataKeyWithoutPlaintext", true),
    GENERATE_RANDOM("GenerateRandom", true),
    SIGN("Sign", true),
    VERIFY("Verify", true),
    GET_PUBLIC_KEY("GetPublicKey", true);

    private final String eventName;
    private final boolean readOnly;

    Operation(String eventName, boolean readOnly) {
        this.eventName = eventName;
        this.readOnly = readOnly;
    }

    /** The AWS operation and CloudTrail event name. */
    public String eventName() {
        return eventName;
    }

    /** Whether the operation changes no state. */
    public boolean readOnly() {
        return readOnly;
    }
}
