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
}
