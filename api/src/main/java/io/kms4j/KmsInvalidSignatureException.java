package io.kms4j;

/**
 * Verify found that the signature does not match the message, key and algorithm. Like AWS KMS, kms4j reports an
 * invalid signature as this error rather than as a false result, so it cannot be ignored by accident.
 *
 * <p>Error code {@code INVALID_SIGNATURE}; see {@link KmsErrorCode#INVALID_SIGNATURE}. Never retryable. Thread
 * safety: immutable.
 */
public class KmsInvalidSignatureException extends KmsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the key, never the message or signature bytes. */
    public KmsInvalidSignatureException(String message) {
        super(KmsErrorCode.INVALID_SIGNATURE, message);
    }

    /** Creates the exception keeping the lower-layer cause for debugging. */
    public KmsInvalidSignatureException(String message, Throwable cause) {
        super(KmsErrorCode.INVALID_SIGNATURE, message, cause);
    }
}
