package io.kms4j;

/**
 * A request parameter is missing, malformed or out of range.
 *
 * <p>Error code {@code VALIDATION}; see {@link KmsErrorCode#VALIDATION}. Thread safety: immutable.
 */
public class ValidationException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public ValidationException(String message) {
        super(KmsErrorCode.VALIDATION, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public ValidationException(String message, Throwable cause) {
        super(KmsErrorCode.VALIDATION, message, cause);
    }
}
