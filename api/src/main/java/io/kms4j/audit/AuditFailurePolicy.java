package io.kms4j.audit;

/**
 * What kms4j does when the audit sink cannot record an event. Thread safety: immutable enum constants.
 */
public enum AuditFailurePolicy {
    /**
     * The default: the operation is refused with {@link io.kms4j.KmsInternalException}, any plaintext or data
     * key it produced is wiped and not returned. An operation that changed state (for example CreateKey) has
     * already happened by then; the caller is told it failed, and the next successful audit shows the state.
     */
    FAIL_CLOSED,
    /** The failure is logged through {@link System.Logger} and the result is returned anyway. */
    FAIL_OPEN
}
