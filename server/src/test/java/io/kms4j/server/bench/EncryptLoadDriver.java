package io.kms4j.server.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A closed-loop load generator for KMS Encrypt, used by {@code server/bench/run.sh} to compare the kms4j server
 * with moto_server on the same machine. Each of THREADS threads sends one Encrypt at a time for the warm-up,
 * then for the measured period; the latency of every measured call is kept and p50/p99 are exact.
 *
 * <pre>
 * EncryptLoadDriver ENDPOINT_URL raw|sdk THREADS WARMUP_SECONDS MEASURE_SECONDS PLAINTEXT_BYTES LABEL
 * </pre>
 * {@code raw}: the JDK's HTTP client sending SigV4-signed KMS JSON requests (the signature is real, so moto
 * routes the request and a verifying server could check it); {@code sdk}: the AWS SDK for Java v2 KmsClient
 * (URL-connection HTTP client), shared by all threads as applications share it.
 *
 * <p>Prints one line: {@code RESULT label mode threads requests errors rps p50_ms p99_ms}. Not a test: a tool.
 */
public final class EncryptLoadDriver {
    private static final String ACCESS_KEY_ID = "AKIDBENCH";
    private static final String SECRET = "bench-secret";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private EncryptLoadDriver() {
    }

    /** A client that sends one Encrypt and throws on any failure. */
    private interface Caller {
        void encrypt() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: EncryptLoadDriver ENDPOINT raw|sdk THREADS WARMUP_S MEASURE_S PLAINTEXT_BYTES LABEL");
            System.exit(2);
        }
        URI endpoint = URI.create(args[0]);
        String mode = args[1];
        int threads = Integer.parseInt(args[2]);
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[3]));
        Duration measure = Duration.ofSeconds(Long.parseLong(args[4]));
        byte[] plaintext = new byte[Integer.parseInt(args[5])];
        Arrays.fill(plaintext, (byte) 'p');
        String label = args[6];
        System.setProperty("http.maxConnections", Integer.toString(threads * 2)); // keep-alive pool of HttpURLConnection

        KmsClient sdk = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        String keyId = sdk.createKey(b -> b.description("bench")).keyMetadata().keyId();
        Caller caller;
        if (mode.equals("sdk")) {
            SdkBytes bytes = SdkBytes.fromByteArray(plaintext);
            caller = () -> sdk.encrypt(b -> b.keyId(keyId).plaintext(bytes));
        } else if (mode.equals("raw")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"" + Base64.getEncoder().encodeToString(plaintext)
                    + "\"}";
            caller = () -> {
                HttpResponse<String> r = http.send(signed(endpoint, "Encrypt", body), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains("CiphertextBlob")) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                }
            };
        } else {
            throw new IllegalArgumentException("mode must be raw or sdk");
        }

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[200_000];
            int[] count = new int[1];
            latencies.add(mine);
            counts.add(count);
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        try {
                            caller.encrypt();
                        } catch (Exception e) {
                            if (measuring.get() && errors.incrementAndGet() <= 3) {
                                // Say what failed: a count alone cannot tell a server error from a client one.
                                System.err.println("error during measurement: " + e);
                            }
                            continue;
                        }
                        if (measuring.get() && count[0] < mine.length) {
                            mine[count[0]++] = System.nanoTime() - start;
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "load-" + t);
            worker.start();
        }
        Thread.sleep(warmup.toMillis());
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(measure.toMillis());
        measuring.set(false);
        long elapsed = System.nanoTime() - begin;
        stop.set(true);
        finished.await();
        sdk.close();

        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, counts.get(t)[0]);
            at += counts.get(t)[0];
        }
        Arrays.sort(all);
        double rps = total / (elapsed / 1e9);
        System.out.printf("RESULT %s %s %d %d %d %.0f %.2f %.2f%n", label, mode, threads, total, errors.get(), rps,
                percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** A KMS JSON request signed with SigV4 (headers content-type, host, x-amz-date, x-amz-target). */
    private static HttpRequest signed(URI endpoint, String operation, String body) throws Exception {
        String amzDate = AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        String date = amzDate.substring(0, 8);
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        String contentType = "application/x-amz-json-1.1";
        String target = "TrentService." + operation;
        String signedHeaders = "content-type;host;x-amz-date;x-amz-target";
        String canonical = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + amzDate
                + "\nx-amz-target:" + target + "\n\n" + signedHeaders + "\n" + hex(sha256(body));
        String scope = date + "/us-east-1/kms/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] key = ("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {date, "us-east-1", "kms", "aws4_request"}) {
            key = hmac(key, part);
        }
        String authorization = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/" + scope + ", SignedHeaders="
                + signedHeaders + ", Signature=" + hex(hmac(key, toSign));
        return HttpRequest.newBuilder(endpoint.resolve("/")).header("Content-Type", contentType)
                .header("X-Amz-Target", target).header("X-Amz-Date", amzDate).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
