package io.kms4j.tink;

import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import io.kms4j.aws.AwsKmsProvider;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.server.KmsHttpServer;
import io.kms4j.server.SigV4Credentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An AWS KMS endpoint for tests: the kms4j server on 127.0.0.1 (a free port), verifying SigV4, in front of an
 * in-memory local provider; and kms4j clients of it through the AWS provider (AWS SDK v2 over HTTP). No mock: every
 * call crosses the real SDK, the wire protocol and the server.
 *
 * <p>Thread safety: start and stop from one thread; {@link #newAwsKms} is safe once started.
 */
final class Kms4jServerFixture implements AutoCloseable {
    private static final String ACCESS_KEY_ID = "AKIDTINKBRIDGETEST";
    private static final String SECRET = "tink-bridge-test-secret";

    private final Kms backend;
    private final KmsHttpServer server;

    private Kms4jServerFixture(Kms backend, KmsHttpServer server) {
        this.backend = backend;
        this.server = server;
    }

    /** Starts a server; close the fixture to stop it. */
    static Kms4jServerFixture start() {
        // The server's own audit trail is tested in the server module; the client side's is what these tests read.
        Kms backend = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(event -> { }).build();
        KmsHttpServer server = KmsHttpServer.builder(backend)
                .credentials(SigV4Credentials.of(ACCESS_KEY_ID, SECRET.toCharArray()))
                .build().start();
        return new Kms4jServerFixture(backend, server);
    }

    /** A kms4j client of the server through the AWS provider (scheme {@code aws-kms}), auditing to {@code sink}. */
    Kms newAwsKms(AuditSink sink) {
        AwsKmsProvider provider = AwsKmsProvider.builder()
                .region("us-east-1")
                .endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
                .maxAttempts(1)
                .build();
        return Kms.builder().provider(provider).auditSink(sink).build();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            backend.close();
        }
    }
}
