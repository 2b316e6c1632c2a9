package io.kms4j.aws;

import io.kms4j.Kms;
import io.kms4j.conformance.KmsConformanceSuite;
import io.kms4j.conformance.MutableClock;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.server.KmsHttpServer;
import io.kms4j.server.SigV4Credentials;
import io.kms4j.spi.KmsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance suite through the AWS provider, over HTTP, against the kms4j server in front of the
 * local provider, with SigV4 verification on: the AWS SDK's requests, the server's wire protocol and the error
 * mapping both ways must together behave exactly as kms4j's API promises, tamper sweep included.
 */
class AwsKmsProviderOnKms4jServerConformanceTest extends KmsConformanceSuite {
    private static Kms backend;
    private static KmsHttpServer server;

    @BeforeAll
    static void startServer() {
        // The server's own audit trail is tested in the server module; here it is not looked at.
        backend = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(event -> { }).build();
        server = KmsHttpServer.builder(backend)
                .credentials(SigV4Credentials.of(AwsTestClients.ACCESS_KEY_ID, AwsTestClients.SECRET.toCharArray()))
                .build().start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
        backend.close();
    }

    @Override
    protected KmsProvider createProvider(MutableClock clock) {
        return AwsTestClients.provider(server.endpoint());
    }
}
