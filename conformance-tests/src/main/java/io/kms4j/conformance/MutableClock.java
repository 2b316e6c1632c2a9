package io.kms4j.conformance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move forward by hand, to step over deletion windows and rotation periods. It starts at
 * the real current time and then follows real time plus the total of every {@link #advance}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class MutableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /** Moves the clock forward (or back, with a negative duration). */
    public synchronized void advance(Duration duration) {
        offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("MutableClock is UTC only");
        }
        return this;
    }
}
