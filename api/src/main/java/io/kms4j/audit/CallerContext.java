package io.kms4j.audit;

import java.util.Objects;

/**
 * Who is calling, as the audit trail records it: the identity, the source address and the user agent.
 *
 * <p>In-process callers get {@link #inProcess()}. The AWS-compatible server builds one per request from the
 * connection's remote address, the {@code User-Agent} header and the verified SigV4 access key, and passes it
 * to {@link io.kms4j.Kms#forCaller(CallerContext)}.
 *
 * @param identity who the caller is
 * @param sourceIpAddress the caller's address, or {@code "in-process"} for calls made inside this JVM
 * @param userAgent the caller's user agent
 *
 * <p>Thread safety: immutable.
 */
public record CallerContext(CallerIdentity identity, String sourceIpAddress, String userAgent) {
    private static final String VERSION = version();

    /** Checks that every component is present. */
    public CallerContext {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sourceIpAddress, "sourceIpAddress");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** The caller for calls made in this JVM: the OS user, source {@code "in-process"}, kms4j's user agent. */
    public static CallerContext inProcess() {
        return new CallerContext(CallerIdentity.localUser(System.getProperty("user.name", "unknown")), "in-process",
                defaultUserAgent());
    }

    /** The same caller with another identity. */
    public CallerContext withIdentity(CallerIdentity newIdentity) {
        return new CallerContext(newIdentity, sourceIpAddress, userAgent);
    }

    /** kms4j's own user agent, for example {@code kms4j-java/0.1.0 java/17.0.15}. */
    public static String defaultUserAgent() {
        return "kms4j-java/" + VERSION + " java/" + System.getProperty("java.version", "unknown");
    }

    private static String version() {
        String v = CallerContext.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
