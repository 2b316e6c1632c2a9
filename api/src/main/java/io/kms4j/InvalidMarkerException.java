package io.kms4j;

/**
 * A pagination marker was not issued by this provider for this listing.
 *
 * <p>Error code {@code INVALID_MARKER}; see {@link KmsErrorCode#INVALID_MARKER}. Thread safety: immutable.
 */
public class InvalidMarkerException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public InvalidMarkerException(String message) {
        super(KmsErrorCode.INVALID_MARKER, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public InvalidMarkerException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_MARKER, message, cause);
    }
}
