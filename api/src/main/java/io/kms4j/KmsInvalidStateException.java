package io.kms4j;

/**
 * The key's state does not allow the operation, for example a key that is pending deletion.
 *
 * <p>Error code {@code INVALID_STATE}; see {@link KmsErrorCode#INVALID_STATE}. Thread safety: immutable.
 */
public class KmsInvalidStateException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public KmsInvalidStateException(String message) {
        super(KmsErrorCode.INVALID_STATE, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public KmsInvalidStateException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_STATE, message, cause);
    }
}
