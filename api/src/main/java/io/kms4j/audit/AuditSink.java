package io.kms4j.audit;

/**
 * Where audit events go. kms4j calls {@link #record} once for every operation, after the operation and before
 * its result is returned.
 *
 * <p>Fail closed: when {@code record} throws, kms4j refuses the operation (by default) — the caller gets an
 * {@link io.kms4j.KmsInternalException} and no plaintext. So a sink must throw, not swallow, when it could not
 * record durably.
 *
 * <p>Implementations must be safe for concurrent calls from many threads.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Records one event durably (as durable as the sink promises).
     *
     * @throws AuditSinkException (or any runtime exception) when the event could not be recorded
     */
    void record(AuditEvent event);

    /** Releases files or other resources. Idempotent. */
    @Override
    default void close() {
    }
}
