package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.AccessDeniedException;
import io.kms4j.Kms;
import io.kms4j.ValidationException;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.server.KmsHttpServer;
import io.kms4j.server.SigV4Credentials;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the AWS provider by URI, found with {@link java.util.ServiceLoader} like any provider, against the
 * kms4j server with SigV4 verification on, so the configured credentials are really the ones used.
 */
class AwsKmsProviderFactoryTest {
    private static Kms backend;
    private static KmsHttpServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        backend = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(e -> { }).build();
        server = KmsHttpServer.builder(backend)
                .credentials(SigV4Credentials.of("AKIDFACTORY", "factory-secret".toCharArray())).build().start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
        backend.close();
    }

    @Test
    public void providerUri_optionsAndSecretFile_worksThroughServiceLoader() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "factory-secret\n");
        try (Kms kms = Kms.builder().providerUri("aws-kms:us-east-1")
                .option("endpoint-url", server.endpoint().toString())
                .option("access-key-id", "AKIDFACTORY")
                .option("secret-access-key-file", secret.toString())
                .option("retry-mode", "standard").option("max-attempts", "2")
                .option("connection-timeout-ms", "2000").option("socket-timeout-ms", "5000")
                .option("api-call-timeout-ms", "20000").option("api-call-attempt-timeout-ms", "5000")
                .auditSink(e -> { }).build()) {
            assertEquals("aws-kms", kms.providerInfo().scheme());
            assertEquals("kms.amazonaws.com", kms.providerInfo().eventSource());
            assertFalse(kms.providerInfo().devOnly());
            assertEquals(java.util.Set.of(io.kms4j.spi.ProviderInfo.Capability.SIGN_VERIFY),
                    kms.providerInfo().capabilities(), "asymmetric signing keys, and nothing AWS cannot do");
            String keyId = kms.createKey().keyId();
            assertEquals(keyId, kms.describeKey(keyId).keyId());
        }
    }

    @Test
    public void secretFromEnvironment_wrongSecret_accessDenied() {
        Map<String, String> env = new HashMap<>();
        env.put("KMS_SECRET", "not-the-secret");
        ProviderConfig config = ProviderConfig.of(URI.create("aws-kms:default"), Map.of("region", "eu-west-1",
                "endpoint-url", server.endpoint().toString(), "access-key-id", "AKIDFACTORY",
                "secret-access-key-env", "KMS_SECRET", "max-attempts", "1")).withEnvironment(env::get);
        try (KmsProvider provider = new AwsKmsProviderFactory().create(config);
             Kms kms = Kms.builder().provider(provider).auditSink(e -> { }).build()) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> kms.listKeys());
            assertTrue(e.getMessage().contains("InvalidSignatureException"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-secret"));
        }
    }

    @Test
    public void invalidConfiguration_validationExceptionNamingTheProblem() {
        AwsKmsProviderFactory factory = new AwsKmsProviderFactory();
        Map<String, Map<String, String>> bad = Map.of(
                "unknown option", Map.of("regoin", "us-east-1"),
                "endpoint", Map.of("endpoint-url", "ftp://example"),
                "retry mode", Map.of("retry-mode", "sometimes"),
                "attempts", Map.of("max-attempts", "zero"),
                "timeout", Map.of("socket-timeout-ms", "-5"),
                "secret without key id", Map.of("secret-access-key-env", "HOME"),
                "key id without secret", Map.of("access-key-id", "AKID"),
                "conflicting region", Map.of("region", "eu-west-1"),
                "missing secret variable", Map.of("access-key-id", "AKID", "secret-access-key-env", "NO_SUCH_VARIABLE_X"));
        bad.forEach((what, options) -> assertThrows(ValidationException.class,
                () -> factory.create(ProviderConfig.of(URI.create("aws-kms:us-east-1"), options)
                        .withEnvironment(name -> null)), what));
        assertThrows(ValidationException.class,
                () -> factory.create(ProviderConfig.of(URI.create("aws-kms:not_a/region"), Map.of())));
    }
}
