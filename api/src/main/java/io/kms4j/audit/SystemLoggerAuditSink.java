package io.kms4j.audit;

/**
 * Writes each event as one line of JSON to the JDK's {@link System.Logger} named {@code kms4j.audit}; the
 * default sink when an application configures none. It routes to java.util.logging unless the application
 * installs a bridge (for example {@code slf4j-jdk-platform-logging}).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class SystemLoggerAuditSink implements AuditSink {
    private final System.Logger logger = System.getLogger("kms4j.audit");

    @Override
    public void record(AuditEvent event) {
        logger.log(event.failed() ? System.Logger.Level.WARNING : System.Logger.Level.INFO, event.toJson());
    }
}
