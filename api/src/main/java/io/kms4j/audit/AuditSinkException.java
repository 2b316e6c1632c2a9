package io.kms4j.audit;

/**
 * An audit sink could not record an event. kms4j turns it into an {@link io.kms4j.KmsInternalException} for
 * the caller, and refuses the operation, unless the application chose to fail open.
 *
 * <p>Thread safety: immutable.
 */
public class AuditSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public AuditSinkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without a cause. */
    public AuditSinkException(String message) {
        super(message);
    }
}
