package io.kms4j;

/**
 * The backend or one of its dependencies did not answer in time; retryable.
 *
 * <p>Error code {@code DEPENDENCY_TIMEOUT}; see {@link KmsErrorCode#DEPENDENCY_TIMEOUT}. Thread safety: immutable.
 */
public class DependencyTimeoutException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public DependencyTimeoutException(String message) {
        super(KmsErrorCode.DEPENDENCY_TIMEOUT, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public DependencyTimeoutException(String message, Throwable cause) {
        super(KmsErrorCode.DEPENDENCY_TIMEOUT, message, cause);
    }
}
