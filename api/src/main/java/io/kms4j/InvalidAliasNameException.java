package io.kms4j;

/**
 * An alias name is malformed, or uses the reserved alias/aws/ prefix.
 *
 * <p>Error code {@code INVALID_ALIAS_NAME}; see {@link KmsErrorCode#INVALID_ALIAS_NAME}. Thread safety: immutable.
 */
public class InvalidAliasNameException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public InvalidAliasNameException(String message) {
        super(KmsErrorCode.INVALID_ALIAS_NAME, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public InvalidAliasNameException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_ALIAS_NAME, message, cause);
    }
}
