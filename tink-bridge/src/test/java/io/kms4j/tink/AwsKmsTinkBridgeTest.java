package io.kms4j.tink;

import io.kms4j.KeyMetadata;
import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Tink bridge contract over the AWS KMS backend: the kms4j AWS provider (AWS SDK v2, SigV4, HTTP) against the
 * kms4j server on 127.0.0.1. So the associated-data context, the expected-key check and the error mapping cross the
 * AWS wire protocol both ways.
 *
 * <p>The kms4j server names keys by its backend's identifiers ({@code local:key/…}), not by AWS ARNs, so keys are
 * named here by key id ({@code kms4j:<uuid>}), which a client with one backend serves. Routing of
 * {@code kms4j:arn:…} URIs to an AWS backend is tested in {@link MultiBackendRoutingTest}.
 */
class AwsKmsTinkBridgeTest extends TinkBridgeContractTests {
    private static Kms4jServerFixture server;

    @BeforeAll
    static void startServer() {
        server = Kms4jServerFixture.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected Kms newKms(AuditSink auditSink) {
        return server.newAwsKms(auditSink);
    }

    @Override
    protected String keyUriOf(KeyMetadata key) {
        return Kms4jKmsClient.keyUri(key.keyId());
    }
}
