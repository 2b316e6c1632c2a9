package io.kms4j;

/**
 * The backend is rate-limiting calls; retry later with backoff.
 *
 * <p>Error code {@code THROTTLING}; see {@link KmsErrorCode#THROTTLING}. Thread safety: immutable.
 */
public class ThrottlingException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public ThrottlingException(String message) {
        super(KmsErrorCode.THROTTLING, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public ThrottlingException(String message, Throwable cause) {
        super(KmsErrorCode.THROTTLING, message, cause);
    }
}
