package io.kms4j.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event as one line of JSON to an SLF4J logger (by default {@code kms4j.audit}), at INFO for
 * successful calls and WARN for failed ones, so a central log pipeline can collect the trail.
 *
 * <p>Needs {@code org.slf4j:slf4j-api} on the class path (an optional dependency of kms4j-api). SLF4J itself
 * reports nothing when a backend drops a message, so this sink cannot fail closed on a lost line; when that
 * matters, use {@link JsonLinesAuditSink} as well.
 *
 * <p>Thread safety: safe for concurrent use (SLF4J loggers are).
 */
public final class Slf4jAuditSink implements AuditSink {
    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "kms4j.audit";

    private final Logger logger;

    /** A sink logging to {@value #DEFAULT_LOGGER}. */
    public Slf4jAuditSink() {
        this(DEFAULT_LOGGER);
    }

    /** A sink logging to the named logger. */
    public Slf4jAuditSink(String loggerName) {
        this.logger = LoggerFactory.getLogger(loggerName);
    }

    @Override
    public void record(AuditEvent event) {
        if (event.failed()) {
            logger.warn("{}", event.toJson());
        } else {
            logger.info("{}", event.toJson());
        }
    }
}
