package io.kms4j;

/**
 * The key exists but is disabled; enable it before using it.
 *
 * <p>Error code {@code DISABLED}; see {@link KmsErrorCode#DISABLED}. Thread safety: immutable.
 */
public class DisabledException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public DisabledException(String message) {
        super(KmsErrorCode.DISABLED, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public DisabledException(String message, Throwable cause) {
        super(KmsErrorCode.DISABLED, message, cause);
    }
}
