package io.kms4j;

/**
 * A quota was exceeded; retry later or raise the limit.
 *
 * <p>Error code {@code LIMIT_EXCEEDED}; see {@link KmsErrorCode#LIMIT_EXCEEDED}. Thread safety: immutable.
 */
public class LimitExceededException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public LimitExceededException(String message) {
        super(KmsErrorCode.LIMIT_EXCEEDED, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public LimitExceededException(String message, Throwable cause) {
        super(KmsErrorCode.LIMIT_EXCEEDED, message, cause);
    }
}
