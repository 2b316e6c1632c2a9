package io.kms4j;

/**
 * The ciphertext was made under a different key than the expected key the caller named.
 *
 * <p>Error code {@code INCORRECT_KEY}; see {@link KmsErrorCode#INCORRECT_KEY}. Thread safety: immutable.
 */
public class IncorrectKeyException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public IncorrectKeyException(String message) {
        super(KmsErrorCode.INCORRECT_KEY, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public IncorrectKeyException(String message, Throwable cause) {
        super(KmsErrorCode.INCORRECT_KEY, message, cause);
    }
}
