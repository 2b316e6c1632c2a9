package io.kms4j;

/**
 * The caller, or the provider's own credentials (for example a token PIN), are not allowed to do this.
 *
 * <p>Error code {@code ACCESS_DENIED}; see {@link KmsErrorCode#ACCESS_DENIED}. Thread safety: immutable.
 */
public class AccessDeniedException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public AccessDeniedException(String message) {
        super(KmsErrorCode.ACCESS_DENIED, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public AccessDeniedException(String message, Throwable cause) {
        super(KmsErrorCode.ACCESS_DENIED, message, cause);
    }
}
