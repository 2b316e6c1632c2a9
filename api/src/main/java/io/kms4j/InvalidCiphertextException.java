package io.kms4j;

/**
 * The ciphertext is malformed, truncated or altered, or the encryption context differs from the one it was made with. Never retryable: the same bytes will fail the same way.
 *
 * <p>Error code {@code INVALID_CIPHERTEXT}; see {@link KmsErrorCode#INVALID_CIPHERTEXT}. Thread safety: immutable.
 */
public class InvalidCiphertextException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public InvalidCiphertextException(String message) {
        super(KmsErrorCode.INVALID_CIPHERTEXT, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public InvalidCiphertextException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_CIPHERTEXT, message, cause);
    }
}
