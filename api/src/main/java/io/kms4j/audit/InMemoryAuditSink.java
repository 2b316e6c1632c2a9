package io.kms4j.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps events in memory, for tests and for short-lived tools. Never fails, so it never refuses an operation.
 *
 * <p>Thread safety: safe for concurrent use; readers get snapshots.
 */
public final class InMemoryAuditSink implements AuditSink {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
    }

    /** A snapshot of every event recorded so far, oldest first. */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /** A snapshot of the events that match. */
    public synchronized List<AuditEvent> events(Predicate<AuditEvent> filter) {
        List<AuditEvent> out = new ArrayList<>();
        for (AuditEvent e : events) {
            if (filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The number of events recorded so far. */
    public synchronized int size() {
        return events.size();
    }

    /** The most recent event. */
    public synchronized AuditEvent last() {
        if (events.isEmpty()) {
            throw new IllegalStateException("no audit events recorded");
        }
        return events.get(events.size() - 1);
    }

    /** Forgets every event. */
    public synchronized void clear() {
        events.clear();
    }
}
