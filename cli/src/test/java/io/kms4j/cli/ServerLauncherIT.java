package io.kms4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditLogVerifier;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.internal.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented command, as a user runs it: {@code ./kms4j server --port PORT} at the repository root, as a
 * separate process, answered over HTTP, then stopped with SIGTERM. Runs after {@code package} (failsafe), so
 * the launcher finds its jar built.
 */
class ServerLauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("kms4j.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path home;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private Process launch(int port, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("kms4j").toString(), "server", "--port",
                Integer.toString(port)).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KMS4J_"));
        env.put("KMS4J_HOME", home.toString());
        env.put("KMS4J_PASSPHRASE", "launcher-test-passphrase");
        env.putAll(extraEnv);
        pb.redirectOutput(home.resolve("stdout.txt").toFile()).redirectError(home.resolve("stderr.txt").toFile());
        return pb.start();
    }

    private String stderr() throws IOException {
        return Files.readString(home.resolve("stderr.txt"));
    }

    private void awaitListening(Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (stderr().contains("kms4j server listening on")) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the server exited with " + p.exitValue() + ": " + stderr());
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("the server did not start: " + stderr());
    }

    private static Map<String, Object> call(HttpClient http, int port, String operation, String body, int status)
            throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-Amz-Target", "TrentService." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("User-Agent", "launcher-it/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return Json.parseObject(r.body());
    }

    @Test
    public void kms4jServer_devMode_servesAuditsAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Process server = launch(port, Map.of());
        try {
            awaitListening(server);
            assertTrue(stderr().contains("DEV MODE"), "dev mode is announced at start-up: " + stderr());
            HttpClient http = HttpClient.newHttpClient();
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) call(http, port, "CreateKey", "{}", 200).get("KeyMetadata");
            String keyId = (String) metadata.get("KeyId");
            String blob = (String) call(http, port, "Encrypt", "{\"KeyId\":\"" + keyId
                    + "\",\"Plaintext\":\"aGVsbG8=\"}", 200).get("CiphertextBlob");
            assertEquals("aGVsbG8=", call(http, port, "Decrypt", "{\"CiphertextBlob\":\"" + blob + "\"}", 200)
                    .get("Plaintext"));
            call(http, port, "Encrypt", "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"!!\"}", 400);

            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
            assertEquals(143, server.exitValue(), "the JVM's exit status after a handled SIGTERM (128 + 15)");
            assertTrue(stderr().contains("kms4j server stopped"), stderr());
            assertTrue(!stderr().contains("\tat "), "a clean stop logs no stack trace: " + stderr());
        } finally {
            server.destroyForcibly();
        }
        Path log = home.resolve("audit.jsonl");
        AuditLogVerifier.Result verified = AuditLogVerifier.verify(log);
        assertTrue(verified.valid(), verified.toString());
        List<AuditEvent> events = JsonLinesAuditSink.readEvents(log);
        assertEquals(List.of("CreateKey", "Encrypt", "Decrypt"), events.stream().map(AuditEvent::eventName).toList(),
                "the refused request (invalid base64) never reached kms4j");
        for (AuditEvent e : events) {
            assertEquals("127.0.0.1", e.sourceIpAddress());
            assertEquals("launcher-it/1.0", e.userAgent());
        }
    }

    @Test
    public void kms4jServer_credentialsFromEnvironment_unsignedRequestRefused() throws Exception {
        int port = freePort();
        Process server = launch(port, Map.of("KMS4J_SERVER_ACCESS_KEY_ID", "AKIDLAUNCHER",
                "KMS4J_SERVER_SECRET_ACCESS_KEY", "launcher-secret"));
        try {
            awaitListening(server);
            assertTrue(stderr().contains("SigV4 verified"), stderr());
            assertTrue(!stderr().contains("launcher-secret"), "the secret is never printed");
            Map<String, Object> refused = call(HttpClient.newHttpClient(), port, "ListKeys", "{}", 400);
            assertEquals("MissingAuthenticationTokenException", refused.get("__type"));
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
    }
}
