package io.kms4j;

/**
 * A resource with that name already exists, for example an alias.
 *
 * <p>Error code {@code ALREADY_EXISTS}; see {@link KmsErrorCode#ALREADY_EXISTS}. Thread safety: immutable.
 */
public class AlreadyExistsException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public AlreadyExistsException(String message) {
        super(KmsErrorCode.ALREADY_EXISTS, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public AlreadyExistsException(String message, Throwable cause) {
        super(KmsErrorCode.ALREADY_EXISTS, message, cause);
    }
}
