package io.kms4j.server;

import io.kms4j.Kms;
import io.kms4j.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server speaking the AWS KMS JSON 1.1 protocol in front of a {@link Kms} client, so that the AWS
 * CLI and every AWS SDK work against any kms4j backend (the local provider, a PKCS#11 HSM, or AWS KMS
 * itself).
 *
 * <pre>{@code
 * try (Kms kms = Kms.builder().providerUri("local:memory").auditSink(sink).build();
 *      KmsHttpServer server = KmsHttpServer.builder(kms).port(4599).build().start()) {
 *     server.join();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Binds 127.0.0.1 unless told otherwise. Requests are {@code POST} with
 *       {@code X-Amz-Target: TrentService.<Operation>}; answers are {@code application/x-amz-json-1.1}, errors
 *       AWS-shaped ({@code __type}, {@code message}) with AWS's status codes. The operations and the error for
 *       every kind of bad input are listed in {@code docs/SERVER.md}.
 *   <li>With {@link Builder#credentials credentials}, every request's SigV4 signature is verified and the
 *       caller is recorded by access key id; without, the server is in dev mode: it accepts any request,
 *       records the caller as anonymous, and says so in its log when it starts.
 *   <li>Every KMS call leaves one audit event through the given {@code Kms}, with the caller's address
 *       ({@code sourceIPAddress}) and {@code User-Agent}.
 *   <li>At most {@link Builder#maxThreads} threads serve requests (Jetty's acceptor and selector included);
 *       at most {@link Builder#maxConnections} connections are open (further clients wait in the TCP backlog);
 *       bodies over {@link Builder#maxBodyBytes} are refused unread with 413. No input stops the server.
 *   <li>{@link #stop()} stops accepting connections, lets requests in flight finish (up to the stop time-out),
 *       then releases the port.
 * </ul>
 *
 * <p>The server does not own the {@code Kms}: close it after stopping the server.
 *
 * <p>Thread safety: safe for concurrent use; {@link #start()} and {@link #stop()} may be called from any
 * thread, including a shutdown hook.
 */
public final class KmsHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KmsHttpServer.class.getName());

    /** The default largest request body: room for the largest valid KMS request kms4j answers. */
    public static final int DEFAULT_MAX_BODY_BYTES = 128 * 1024;
    /** The default bound on server threads. */
    public static final int DEFAULT_MAX_THREADS = 32;
    /** The default bound on open client connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;

    private final Server jetty;
    private final ServerConnector connector;
    private final boolean devMode;
    private final String bindHost;

    private KmsHttpServer(Builder b) {
        this.devMode = b.credentials == null;
        this.bindHost = b.bindAddress.getHostAddress();
        // Threads are bounded here; the work waiting for them is bounded by the connection limit below (each
        // connection has at most one request in flight and its body is capped), as Jetty advises, rather than
        // by a bounded task queue, which would also drop Jetty's own internal tasks.
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, Math.min(4, b.maxThreads));
        threads.setName("kms4j-server");
        threads.setReservedThreads(0);
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bindHost);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        SigV4Verifier verifier = devMode ? null : new SigV4Verifier(b.credentials, b.clock);
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new KmsRequestHandler(b.kms, verifier, b.maxBodyBytes));
        jetty.setHandler(graceful);
        jetty.setStopTimeout(b.stopTimeout.toMillis());
        jetty.setStopAtShutdown(false); // the owner decides when; the CLI stops it from its own shutdown hook
    }

    /** A builder for a server in front of {@code kms}. */
    public static Builder builder(Kms kms) {
        return new Builder(kms);
    }

    /**
     * Binds the port and starts serving. Logs a warning when the server is in dev mode.
     *
     * @return this server
     * @throws UncheckedIOException when the address cannot be bound (for example the port is in use)
     */
    public KmsHttpServer start() {
        try {
            jetty.start();
        } catch (IOException e) {
            stopQuietly();
            throw new UncheckedIOException("cannot listen on " + bindHost + ":" + connector.getPort() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("the kms4j server failed to start: " + e.getMessage(), e);
        }
        if (devMode) {
            LOG.log(System.Logger.Level.WARNING, "kms4j server on " + endpoint() + " is in DEV MODE: request "
                    + "signatures are NOT verified and any request is accepted. Configure SigV4 credentials to "
                    + "verify them.");
        } else {
            LOG.log(System.Logger.Level.INFO, "kms4j server on " + endpoint() + " verifies SigV4 signatures");
        }
        return this;
    }

    /** The port the server listens on (the one chosen by the system when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The endpoint URL to give AWS clients, for example {@code http://127.0.0.1:4599}. */
    public URI endpoint() {
        String host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        return URI.create("http://" + host + ":" + port());
    }

    /** Whether the server accepts requests without verifying their signatures. */
    public boolean devMode() {
        return devMode;
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops gracefully: no new connections are accepted, requests in flight finish (up to the stop time-out),
     * then the port is released. Idempotent.
     */
    public void stop() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the kms4j server did not stop cleanly", e);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // already failing; the start error is what the caller needs
        }
    }

    /**
     * Builds a {@link KmsHttpServer}. Defaults: 127.0.0.1, a free port chosen by the system, dev mode (no
     * credentials), bodies up to {@value #DEFAULT_MAX_BODY_BYTES} bytes, {@value #DEFAULT_MAX_THREADS} threads,
     * {@value #DEFAULT_MAX_CONNECTIONS} connections, 30 s idle and stop time-outs.
     *
     * <p>Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private final Kms kms;
        private InetAddress bindAddress;
        private int port;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private SigV4Credentials credentials;
        private Clock clock = Clock.systemUTC();
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration stopTimeout = Duration.ofSeconds(30);

        private Builder(Kms kms) {
            this.kms = Objects.requireNonNull(kms, "kms");
            this.bindAddress = InetAddress.getLoopbackAddress();
            try {
                this.bindAddress = InetAddress.getByName("127.0.0.1");
            } catch (UnknownHostException e) {
                // a literal address never needs a lookup; keep the loopback address
            }
        }

        /**
         * The address to listen on, as a literal IP address; 127.0.0.1 by default. Anything but a loopback
         * address exposes the keys to the network: configure credentials first.
         *
         * @throws ValidationException when it is not a literal IPv4 or IPv6 address
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "address");
            if (!address.matches("[0-9.]+|\\[?[0-9a-fA-F:.]+]?")) {
                throw new ValidationException("the bind address must be a literal IP address, was '" + address + "'");
            }
            try {
                this.bindAddress = InetAddress.getByName(address.replace("[", "").replace("]", ""));
            } catch (UnknownHostException e) {
                throw new ValidationException("not an IP address: '" + address + "'", e);
            }
            return this;
        }

        /**
         * The TCP port, 0 for one the system chooses.
         *
         * @throws ValidationException when outside 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new ValidationException("the port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The largest request body accepted, in bytes (at least 16 KiB, so every valid Encrypt fits).
         *
         * @throws ValidationException when below 16384
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 16 * 1024) {
                throw new ValidationException("maxBodyBytes must be at least 16384, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * The most threads serving requests, Jetty's acceptor and selector threads included.
         *
         * @throws ValidationException when below 4
         */
        public Builder maxThreads(int threads) {
            if (threads < 4) {
                throw new ValidationException("maxThreads must be at least 4, was " + threads);
            }
            this.maxThreads = threads;
            return this;
        }

        /**
         * The most client connections open at once; further clients wait to be accepted. With one request in
         * flight per connection and bodies capped, this bounds the work and memory waiting for threads.
         *
         * @throws ValidationException when below 1
         */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new ValidationException("maxConnections must be at least 1, was " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Verify every request's SigV4 signature against these access keys (otherwise: dev mode). */
        public Builder credentials(SigV4Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The clock request times are checked against (±15 minutes); the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long an idle keep-alive connection stays open. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@link #stop()} waits for requests in flight. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Makes the server; {@link KmsHttpServer#start()} binds and starts it. */
        public KmsHttpServer build() {
            return new KmsHttpServer(this);
        }
    }
}
