package io.kms4j;

/**
 * An internal failure of the provider or of kms4j itself, including an audit sink that could not record an event.
 *
 * <p>Error code {@code INTERNAL}; see {@link KmsErrorCode#INTERNAL}. Thread safety: immutable.
 */
public class KmsInternalException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public KmsInternalException(String message) {
        super(KmsErrorCode.INTERNAL, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public KmsInternalException(String message, Throwable cause) {
        super(KmsErrorCode.INTERNAL, message, cause);
    }
}
