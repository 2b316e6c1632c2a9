package io.kms4j;

/**
 * The key, alias or other resource named in the request does not exist.
 *
 * <p>Error code {@code NOT_FOUND}; see {@link KmsErrorCode#NOT_FOUND}. Thread safety: immutable.
 */
public class NotFoundException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public NotFoundException(String message) {
        super(KmsErrorCode.NOT_FOUND, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public NotFoundException(String message, Throwable cause) {
        super(KmsErrorCode.NOT_FOUND, message, cause);
    }
}
