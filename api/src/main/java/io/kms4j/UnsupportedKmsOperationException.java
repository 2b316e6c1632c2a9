package io.kms4j;

/**
 * The provider cannot perform this operation at all: a capability its backend truly lacks, reported rather than emulated. Named to avoid a clash with java.lang.UnsupportedOperationException; its AWS code is UnsupportedOperationException.
 *
 * <p>Error code {@code UNSUPPORTED_OPERATION}; see {@link KmsErrorCode#UNSUPPORTED_OPERATION}. Thread safety: immutable.
 */
public class UnsupportedKmsOperationException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key or parameter, never a secret. */
    public UnsupportedKmsOperationException(String message) {
        super(KmsErrorCode.UNSUPPORTED_OPERATION, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public UnsupportedKmsOperationException(String message, Throwable cause) {
        super(KmsErrorCode.UNSUPPORTED_OPERATION, message, cause);
    }
}
