package io.kms4j;

/**
 * The lifecycle state of a key, named as AWS KMS names it.
 *
 * <p>Only {@link #ENABLED} keys encrypt, decrypt and generate data keys. A {@link #DISABLED} key refuses them
 * with {@link DisabledException}; a key {@link #PENDING_DELETION} refuses them with
 * {@link KmsInvalidStateException} until the deletion is cancelled (the key then becomes disabled) or the
 * window ends (the key and all its versions are destroyed).
 *
 * <p>Thread safety: immutable enum constants.
 */
public enum KeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion"),
    /** The backend holds the key but cannot use it right now (for example a disconnected HSM). */
    UNAVAILABLE("Unavailable");

    private final String awsName;

    KeyState(String awsName) {
        this.awsName = awsName;
    }

    /** The AWS spelling, for example {@code "PendingDeletion"}. */
    public String awsName() {
        return awsName;
    }

    /**
     * Parses the AWS spelling.
     *
     * @throws ValidationException when the name is not a known state
     */
    public static KeyState fromAwsName(String name) {
        for (KeyState state : values()) {
            if (state.awsName.equals(name)) {
                return state;
            }
        }
        throw new ValidationException("unknown key state: " + name);
    }
}
