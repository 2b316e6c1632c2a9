package io.kms4j;

/**
 * The key's backend (an HSM, a token, a remote service) cannot be reached right now; retryable.
 *
 * <p>Error code {@code KEY_UNAVAILABLE}; see {@link KmsErrorCode#KEY_UNAVAILABLE}. Thread safety: immutable.
 */
public class KeyUnavailableException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public KeyUnavailableException(String message) {
        super(KmsErrorCode.KEY_UNAVAILABLE, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public KeyUnavailableException(String message, Throwable cause) {
        super(KmsErrorCode.KEY_UNAVAILABLE, message, cause);
    }
}
