package io.kms4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.internal.Json;
import io.kms4j.server.KmsHttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same walkthrough through the real ./kms4j launcher on the other backends: a PKCS#11 token (a real
 * SoftHSM2 token made by the POM before the tests) and AWS KMS (the AWS provider, AWS SDK v2, against a kms4j
 * server on 127.0.0.1, since no real AWS is reachable here), where sign and a forged verify (exit 11) also run.
 */
class BackendsIT {
    @TempDir
    Path home;

    private static void walkthrough(Launcher cli, Map<String, String> env, String backend, String... extra)
            throws Exception {
        String key = run(cli, env, backend, extra, "create-key", "--description", "on " + backend,
                "--query", "KeyMetadata.KeyId", "--output", "text").trim();
        String blob = run(cli, env, backend, extra, "encrypt", "--key-id", key, "--plaintext", "secret",
                "--encryption-context", "a=1", "--query", "CiphertextBlob", "--output", "text").trim();
        String plaintext = run(cli, env, backend, extra, "decrypt", "--ciphertext-blob", blob,
                "--encryption-context", "a=1", "--query", "Plaintext", "--output", "text").trim();
        assertEquals("c2VjcmV0", plaintext, "base64 of 'secret'");
        List<?> keys = (List<?>) Json.parse(run(cli, env, backend, extra, "list-keys", "--query", "Keys[*].KeyId"));
        assertTrue(keys.contains(key), keys::toString);
        run(cli, env, backend, extra, "disable-key", "--key-id", key);
        Launcher.Run disabled = cli.kms4jWith(env, concat(new String[] {"encrypt", "--key-id", key, "--plaintext",
            "x", "--backend", backend}, extra));
        assertEquals(ExitCodes.KEY_STATE, disabled.exitCode(), disabled::toString);
        assertTrue(disabled.err().contains("DisabledException"), disabled::toString);
    }

    private static String run(Launcher cli, Map<String, String> env, String backend, String[] extra, String... args)
            throws Exception {
        Launcher.Run run = cli.kms4jWith(env, concat(concat(args, new String[] {"--backend", backend}), extra));
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
        return run.out();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void pkcs11Backend_walkthroughOnARealToken() throws Exception {
        Launcher cli = new Launcher(home, "unused");
        Map<String, String> env = Map.of("SOFTHSM2_CONF", System.getProperty("kms4j.test.softhsm.conf"),
                "KMS4J_PKCS11_PIN", System.getProperty("kms4j.test.pkcs11.pin"));
        String backend = "pkcs11:token=" + System.getProperty("kms4j.test.pkcs11.token")
                + "?module-path=/usr/lib/softhsm/libsofthsm2.so&state-dir=" + home.resolve("pkcs11-state");
        walkthrough(cli, env, backend);
        Launcher.Run audit = cli.kms4j("audit", "--output", "json", "--query", "Records[*].eventSource");
        assertTrue(((List<?>) Json.parse(audit.out())).stream().allMatch("kms4j-pkcs11"::equals), audit::toString);
    }

    @Test
    void awsKmsBackend_walkthroughThroughTheAwsSdk() throws Exception {
        try (Kms served = Kms.builder().providerUri("local:memory").auditSink(new InMemoryAuditSink()).build();
             KmsHttpServer server = KmsHttpServer.builder(served).port(0).build().start()) {
            Launcher cli = new Launcher(home, "unused");
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example",
                    "AWS_CONFIG_FILE", home.resolve("no-aws-config").toString(),
                    "AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString());
            String[] endpoint = {"--endpoint-url", server.endpoint().toString()};
            walkthrough(cli, env, "aws-kms:us-east-1", endpoint);
            // Signing through the AWS provider: AWS's Sign and Verify, and its invalid-signature error as exit 11.
            String signingKey = run(cli, env, "aws-kms:us-east-1", endpoint, "create-key", "--key-spec", "RSA_2048",
                    "--key-usage", "SIGN_VERIFY", "--query", "KeyMetadata.KeyId", "--output", "text").trim();
            String signature = run(cli, env, "aws-kms:us-east-1", endpoint, "sign", "--key-id", signingKey,
                    "--message", "release", "--signing-algorithm", "RSASSA_PSS_SHA_384", "--query", "Signature",
                    "--output", "text").trim();
            Launcher.Run forged = cli.kms4jWith(env, concat(new String[] {"verify", "--key-id", signingKey,
                "--message", "re1ease", "--signing-algorithm", "RSASSA_PSS_SHA_384", "--signature", signature,
                "--backend", "aws-kms:us-east-1"}, endpoint));
            assertEquals(ExitCodes.INVALID_SIGNATURE, forged.exitCode(), forged::toString);
            assertTrue(forged.err().contains("KMSInvalidSignatureException"), forged::toString);
            Launcher.Run audit = cli.kms4j("audit", "--output", "json", "--query", "Records[*].eventSource");
            assertTrue(((List<?>) Json.parse(audit.out())).stream().allMatch("kms.amazonaws.com"::equals),
                    audit::toString);
        }
    }
}
