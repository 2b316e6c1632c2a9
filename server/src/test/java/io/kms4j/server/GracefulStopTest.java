package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditSink;
import io.kms4j.local.LocalKmsProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link KmsHttpServer#stop()} lets a request in flight finish and answer before it returns, and then no longer
 * accepts connections. The request is held in flight by an audit sink that waits for the test's signal.
 */
class GracefulStopTest {

    @Test
    public void stop_requestInFlight_finishesAndAnswersThenPortClosed() throws Exception {
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditSink slowSink = new AuditSink() {
            @Override
            public void record(AuditEvent event) {
                if (event.eventName().equals("GenerateRandom")) {
                    inSink.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void close() {
            }
        };
        try (Kms kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(slowSink).build()) {
            KmsHttpServer server = KmsHttpServer.builder(kms).build().start();
            URI endpoint = server.endpoint();
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(endpoint)
                    .header("X-Amz-Target", "TrentService.GenerateRandom")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"NumberOfBytes\":16}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(inSink.await(30, TimeUnit.SECONDS), "the request reached kms4j");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            Thread.sleep(300);
            assertFalse(stopping.isDone(), "stop waits for the request in flight");
            release.countDown();

            HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            assertTrue(answered.body().contains("\"Plaintext\""));
            stopping.get(30, TimeUnit.SECONDS);

            IOException refused = assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(endpoint).header("X-Amz-Target", "TrentService.ListKeys")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertTrue(refused instanceof ConnectException, "the port is closed: " + refused);
        }
    }
}
