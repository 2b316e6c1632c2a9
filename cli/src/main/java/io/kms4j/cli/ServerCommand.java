package io.kms4j.cli;

import io.kms4j.Kms;
import io.kms4j.server.KmsHttpServer;
import io.kms4j.server.SigV4Credentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kms4j server}: serves the AWS KMS JSON API on 127.0.0.1 in front of a kms4j backend, so the AWS CLI and
 * AWS SDKs work offline or against an HSM. Runs until SIGTERM or Ctrl-C, then stops gracefully: requests in
 * flight finish, the backend and the audit log are closed. Documented in {@code docs/SERVER.md}.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve the AWS KMS API (JSON 1.1, as the AWS CLI and SDKs speak it) in front of a kms4j backend.",
                "Point AWS clients at it with --endpoint-url http://127.0.0.1:PORT. Stops on SIGTERM or Ctrl-C."},
        footer = {"", "Credentials for SigV4 verification come from --credentials-file (lines ACCESS_KEY_ID SECRET) or "
                + "from KMS4J_SERVER_ACCESS_KEY_ID and KMS4J_SERVER_SECRET_ACCESS_KEY; without them the server runs in "
                + "dev mode and accepts any request. The local keystore's passphrase comes from KMS4J_PASSPHRASE."})
final class ServerCommand implements Callable<Integer> {
    static final String ACCESS_KEY_VARIABLE = "KMS4J_SERVER_ACCESS_KEY_ID";
    static final String SECRET_VARIABLE = "KMS4J_SERVER_SECRET_ACCESS_KEY";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "4599",
            description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "IP address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--backend", paramLabel = "URI",
            description = "Provider URI, e.g. local:/path/keystore.k4j, local:memory, pkcs11:..., aws-kms:eu-west-1 "
                    + "(default: the local keystore in $KMS4J_HOME or ~/.kms4j).")
    String backend;

    @Option(names = "--backend-option", paramLabel = "NAME=VALUE",
            description = "A provider option, repeatable (secrets only as NAME-env or NAME-file).")
    Map<String, String> backendOptions = new LinkedHashMap<>();

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Hash-chained JSON Lines audit log (default: audit.jsonl in $KMS4J_HOME or ~/.kms4j).")
    Path auditLog;

    @Option(names = "--audit-fsync", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fsync each audit record before answering (default). --no-audit-fsync trades the last "
                    + "records on power loss (not on a crash of the process) for throughput.")
    boolean auditFsync;

    @Option(names = "--credentials-file", paramLabel = "FILE",
            description = "Access keys to verify SigV4 signatures with: lines of ACCESS_KEY_ID SECRET_ACCESS_KEY.")
    Path credentialsFile;

    @Option(names = "--max-body-bytes", paramLabel = "BYTES", defaultValue = "" + KmsHttpServer.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-threads", paramLabel = "N", defaultValue = "" + KmsHttpServer.DEFAULT_MAX_THREADS,
            description = "Most threads serving requests (default: ${DEFAULT-VALUE}).")
    int maxThreads;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + KmsHttpServer.DEFAULT_MAX_CONNECTIONS,
            description = "Most client connections open at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    /** Jetty reports its start and stop at INFO; kms4j says what matters itself. Held so the level sticks. */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    @Override
    public Integer call() throws Exception {
        // One line per log record, before the first record is formatted (the JDK's default takes two).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        PrintWriter err = spec.commandLine().getErr();
        SigV4Credentials credentials = credentials();
        Kms kms = BackendOpener.open(backend, backendOptions, auditLog, auditFsync);
        KmsHttpServer server;
        try {
            KmsHttpServer.Builder b = KmsHttpServer.builder(kms).bindAddress(bind).port(port)
                    .maxBodyBytes(maxBodyBytes).maxThreads(maxThreads).maxConnections(maxConnections);
            if (credentials != null) {
                b.credentials(credentials);
            }
            server = b.build().start();
        } catch (RuntimeException e) {
            kms.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGTERM or Ctrl-C: stop taking requests, let those in flight finish, then close the backend and log.
            server.stop();
            kms.close();
            if (credentials != null) {
                credentials.destroy();
            }
            err.println("kms4j server stopped");
            err.flush();
            stopped.countDown();
        }, "kms4j-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("kms4j server listening on " + server.endpoint() + " (backend " + kms.providerInfo().name()
                + (server.devMode() ? "; DEV MODE: signatures are not verified" : "; SigV4 verified") + ")");
        err.println("use it with: aws kms list-keys --endpoint-url " + server.endpoint());
        err.flush();
        server.join();
        stopped.await();
        return ExitCodes.OK;
    }

    /** Credentials from the file, else from the environment, else none (dev mode). */
    private SigV4Credentials credentials() {
        if (credentialsFile != null) {
            return SigV4Credentials.fromFile(credentialsFile);
        }
        String accessKeyId = System.getenv(ACCESS_KEY_VARIABLE);
        String secret = System.getenv(SECRET_VARIABLE);
        if (accessKeyId == null && secret == null) {
            return null;
        }
        if (accessKeyId == null || secret == null) {
            throw new CliException(ExitCodes.USAGE, "set both " + ACCESS_KEY_VARIABLE + " and " + SECRET_VARIABLE
                    + ", or neither");
        }
        char[] chars = secret.toCharArray();
        try {
            return SigV4Credentials.of(accessKeyId, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
