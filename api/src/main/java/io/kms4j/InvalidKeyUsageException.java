package io.kms4j;

/**
 * The key's usage does not allow this operation, for example Encrypt with a signing key.
 *
 * <p>Error code {@code INVALID_KEY_USAGE}; see {@link KmsErrorCode#INVALID_KEY_USAGE}. Thread safety: immutable.
 */
public class InvalidKeyUsageException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public InvalidKeyUsageException(String message) {
        super(KmsErrorCode.INVALID_KEY_USAGE, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public InvalidKeyUsageException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_KEY_USAGE, message, cause);
    }
}
