package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kms4j.DependencyTimeoutException;
import io.kms4j.KeyUnavailableException;
import io.kms4j.Kms;
import io.kms4j.KmsInternalException;
import io.kms4j.ThrottlingException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * Failures no working KMS can be made to produce on demand, over real sockets: an endpoint nobody listens on,
 * one that accepts and never answers, and one that throttles. The throttling endpoint is a few lines of the
 * JDK's HTTP server answering AWS's throttling error; it stands in for AWS under load, which cannot run here.
 */
class AwsKmsProviderErrorPathsTest {

    private static AwsKmsProvider.Builder provider(URI endpoint) {
        return AwsKmsProvider.builder().region("us-east-1").endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")));
    }

    @Test
    public void unreachableEndpoint_keyUnavailableRetryable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (Kms kms = Kms.builder().provider(provider(URI.create("http://127.0.0.1:" + port)).maxAttempts(1).build())
                .auditSink(e -> { }).build()) {
            KeyUnavailableException e = assertThrows(KeyUnavailableException.class, () -> kms.describeKey("alias/x"));
            assertTrue(e.isRetryable());
        }
    }

    @Test
    public void silentEndpoint_configuredTimeout_dependencyTimeoutRetryable() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            try (Kms kms = Kms.builder().provider(provider(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .socketTimeout(Duration.ofMillis(300)).apiCallTimeout(Duration.ofSeconds(2)).maxAttempts(1).build())
                    .auditSink(e -> { }).build()) {
                DependencyTimeoutException e = assertThrows(DependencyTimeoutException.class,
                        () -> kms.generateRandom(16));
                assertTrue(e.isRetryable());
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                    "the configured time-out, not the SDK's default, ended the call");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    public void throttlingEndpoint_configuredAttempts_thenThrottlingExceptionRetryable() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        HttpServer throttling = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        throttling.createContext("/", exchange -> {
            attempts.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        throttling.start();
        URI endpoint = URI.create("http://127.0.0.1:" + throttling.getAddress().getPort());
        try (Kms kms = Kms.builder().provider(provider(endpoint).retryMode(RetryMode.STANDARD).maxAttempts(3).build())
                .auditSink(e -> { }).build()) {
            ThrottlingException e = assertThrows(ThrottlingException.class, () -> kms.generateRandom(16));
            assertTrue(e.isRetryable());
            assertTrue(e.getMessage().contains("Rate exceeded"), e.getMessage());
            assertEquals(3, attempts.get(), "the SDK retried throttling up to the configured 3 attempts");
        } finally {
            throttling.stop(0);
        }
    }

    @Test
    public void htmlErrorPage_kmsInternalException() throws IOException {
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        broken.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        broken.start();
        try (Kms kms = Kms.builder().provider(provider(URI.create("http://127.0.0.1:" + broken.getAddress().getPort()))
                .maxAttempts(1).build()).auditSink(e -> { }).build()) {
            assertThrows(KmsInternalException.class, () -> kms.generateRandom(16));
        } finally {
            broken.stop(0);
        }
    }

    /**
     * An endpoint that answers Sign for another algorithm than requested, Verify without {@code SignatureValid},
     * and GetPublicKey of a symmetric key with some key: no such answer may pass as success. A few lines of the
     * JDK's HTTP server stand in for a broken or hostile endpoint, which no working KMS can be made to be.
     */
    @Test
    public void misbehavingSigningEndpoint_neverASilentWrongAnswer() throws IOException {
        String arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        HttpServer odd = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        odd.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String json;
            if (target.endsWith(".Sign")) {
                json = "{\"KeyId\":\"" + arn + "\",\"Signature\":\"AQID\",\"SigningAlgorithm\":\"ECDSA_SHA_384\"}";
            } else if (target.endsWith(".Verify")) {
                json = "{\"KeyId\":\"" + arn + "\",\"SigningAlgorithm\":\"ECDSA_SHA_256\"}";
            } else {
                json = "{\"KeyId\":\"" + arn + "\",\"PublicKey\":\"AQID\",\"KeySpec\":\"SYMMETRIC_DEFAULT\"}";
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        odd.start();
        try (Kms kms = Kms.builder().provider(provider(URI.create("http://127.0.0.1:" + odd.getAddress().getPort()))
                .maxAttempts(1).build()).auditSink(e -> { }).build()) {
            io.kms4j.SignRequest.Builder request = io.kms4j.SignRequest.builder().keyId(arn).message(new byte[] {1})
                    .signingAlgorithm(io.kms4j.SigningAlgorithm.ECDSA_SHA_256);
            KmsInternalException otherAlgorithm = assertThrows(KmsInternalException.class,
                    () -> kms.sign(request.build()));
            assertTrue(otherAlgorithm.getMessage().contains("ECDSA_SHA_384"), otherAlgorithm.getMessage());
            assertThrows(io.kms4j.KmsInvalidSignatureException.class,
                    () -> kms.verify(request.signature(new byte[] {1, 2, 3}).build()));
            assertThrows(io.kms4j.UnsupportedKmsOperationException.class, () -> kms.getPublicKey(arn));
        } finally {
            odd.stop(0);
        }
    }
}
