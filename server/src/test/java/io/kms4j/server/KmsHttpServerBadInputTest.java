package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.internal.Json;
import io.kms4j.local.LocalKmsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input over raw HTTP (the JDK's client, so nothing is validated on the client side): each gets the AWS
 * error a real KMS answers with, in AWS's shape, and the server keeps serving.
 */
class KmsHttpServerBadInputTest {
    private static InMemoryAuditSink audit;
    private static Kms kms;
    private static KmsHttpServer server;
    private static HttpClient http;
    private static String keyId;

    @BeforeAll
    static void start() {
        audit = new InMemoryAuditSink();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build();
        server = KmsHttpServer.builder(kms).maxBodyBytes(32 * 1024).build().start();
        http = HttpClient.newHttpClient();
        keyId = kms.createKey().keyId();
    }

    @AfterAll
    static void stop() {
        server.stop();
        kms.close();
    }

    @BeforeEach
    void clearAudit() {
        audit.clear();
    }

    private record Answer(int status, String type, String message, HttpResponse<String> raw) {
    }

    private static Answer post(String target, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("User-Agent", "bad-input-test/1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer post(String target, String body) throws IOException, InterruptedException {
        return post(target, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer answer(HttpResponse<String> r) {
        assertEquals("application/x-amz-json-1.1", r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent(), "every answer has a request id");
        Map<String, Object> body = Json.parseObject(r.body());
        return new Answer(r.statusCode(), (String) body.get("__type"), (String) body.get("message"), r);
    }

    private static void assertError(int status, String type, Answer a) {
        assertEquals(type, a.type(), a.raw().body());
        assertEquals(status, a.status(), a.raw().body());
        assertNotNull(a.message(), "errors explain themselves");
    }

    /** After every bad request, a good one still works. */
    private static void assertServerStillServes() throws Exception {
        Answer ok = post("TrentService.DescribeKey", "{\"KeyId\":\"" + keyId + "\"}");
        assertEquals(200, ok.status(), ok.raw().body());
    }

    @Test
    public void malformedJson_serializationException() throws Exception {
        for (String bad : new String[] {"{\"KeyId\":", "[1,2]", "\"text\"", "{\"a\":1}}", "{'KeyId':'x'}",
                "[".repeat(100) + "]".repeat(100)}) {
            assertError(400, "SerializationException", post("TrentService.DescribeKey", bad));
        }
        assertError(400, "SerializationException",
                post("TrentService.DescribeKey", new byte[] {'{', '"', 'K', '"', ':', '"', (byte) 0xC3, '"', '}'}));
        assertServerStillServes();
    }

    @Test
    public void unknownOrMissingOperation_unknownOperationException() throws Exception {
        assertError(400, "UnknownOperationException", post("TrentService.Frobnicate", "{}"));
        assertError(400, "UnknownOperationException", post("DynamoDB_20120810.ListTables", "{}"));
        assertError(400, "UnknownOperationException", post(null, "{}"));
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(400, "UnknownOperationException", answer(get));
        assertServerStillServes();
    }

    @Test
    public void kmsOperationKms4jLacks_unsupportedOperationException() throws Exception {
        Answer a = post("TrentService.GenerateMac", "{\"KeyId\":\"" + keyId + "\"}");
        assertError(400, "UnsupportedOperationException", a);
        assertTrue(a.message().contains("GenerateMac"));
        assertError(400, "UnsupportedOperationException", post("TrentService.CreateKey", "{\"Policy\":\"{}\"}"));
        assertError(400, "UnsupportedOperationException",
                post("TrentService.CreateKey", "{\"Tags\":[{\"TagKey\":\"a\",\"TagValue\":\"b\"}]}"));
        assertServerStillServes();
    }

    @Test
    public void wrongMemberTypes_serializationException() throws Exception {
        assertError(400, "SerializationException", post("TrentService.DescribeKey", "{\"KeyId\":5}"));
        assertError(400, "SerializationException", post("TrentService.ListKeys", "{\"Limit\":\"ten\"}"));
        assertError(400, "SerializationException", post("TrentService.ListKeys", "{\"Limit\":1.5}"));
        assertError(400, "SerializationException", post("TrentService.GenerateRandom", "{\"NumberOfBytes\":1e30}"));
        assertError(400, "SerializationException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId
                + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"a\":1}}"));
        assertError(400, "SerializationException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId
                + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":[\"a\"]}"));
        assertServerStillServes();
    }

    @Test
    public void invalidBase64_serializationException() throws Exception {
        Answer a = post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"not base64!\"}");
        assertError(400, "SerializationException", a);
        assertTrue(a.message().contains("Plaintext"));
        assertError(400, "SerializationException", post("TrentService.Decrypt", "{\"CiphertextBlob\":\"@@@@\"}"));
        assertServerStillServes();
    }

    @Test
    public void missingRequiredMembersAndBadEnums_validationException() throws Exception {
        Answer a = post("TrentService.DescribeKey", "{}");
        assertError(400, "ValidationException", a);
        assertTrue(a.message().contains("'keyId'"), a.message());
        assertError(400, "ValidationException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId + "\"}"));
        assertError(400, "ValidationException", post("TrentService.GenerateRandom", "{}"));
        assertError(400, "ValidationException", post("TrentService.CreateKey", "{\"KeySpec\":\"AES\"}"));
        assertError(400, "ValidationException", post("TrentService.GenerateDataKey", "{\"KeyId\":\"" + keyId
                + "\",\"KeySpec\":\"AES_512\"}"));
        assertServerStillServes();
    }

    @Test
    public void signVerifyGetPublicKey_badShapes_awsSerializationOrValidationErrors() throws Exception {
        String signing = kms.createKey(new io.kms4j.CreateKeyRequest("", io.kms4j.KeyUsage.SIGN_VERIFY,
                io.kms4j.KeySpec.ECC_NIST_P256)).keyId();
        audit.clear();
        String key = "\"KeyId\":\"" + signing + "\"";
        String alg = "\"SigningAlgorithm\":\"ECDSA_SHA_256\"";
        Answer missingMessage = post("TrentService.Sign", "{" + key + "," + alg + "}");
        assertError(400, "ValidationException", missingMessage);
        assertTrue(missingMessage.message().contains("'message'"), missingMessage.message());
        Answer missingAlgorithm = post("TrentService.Sign", "{" + key + ",\"Message\":\"aGk=\"}");
        assertError(400, "ValidationException", missingAlgorithm);
        assertTrue(missingAlgorithm.message().contains("'signingAlgorithm'"), missingAlgorithm.message());
        assertError(400, "ValidationException", post("TrentService.Sign", "{\"Message\":\"aGk=\"," + alg + "}"));
        assertError(400, "ValidationException", post("TrentService.Sign", "{" + key + ",\"Message\":\"\"," + alg + "}"));
        assertError(400, "ValidationException", post("TrentService.Sign", "{" + key
                + ",\"Message\":\"aGk=\",\"SigningAlgorithm\":\"ECDSA_SHA_1\"}"));
        assertError(400, "ValidationException", post("TrentService.Sign", "{" + key
                + ",\"Message\":\"aGk=\",\"MessageType\":\"HASH\"," + alg + "}"));
        assertError(400, "SerializationException", post("TrentService.Sign", "{" + key
                + ",\"Message\":\"not base64!\"," + alg + "}"));
        assertError(400, "SerializationException", post("TrentService.Sign", "{" + key + ",\"Message\":5," + alg + "}"));
        assertError(400, "SerializationException", post("TrentService.GetPublicKey", "{\"KeyId\":[\"x\"]}"));
        assertError(400, "ValidationException", post("TrentService.GetPublicKey", "{}"));
        assertError(400, "ValidationException", post("TrentService.Verify", "{" + key + ",\"Message\":\"aGk=\"," + alg
                + "}"));
        assertError(400, "ValidationException", post("TrentService.Verify", "{" + key + ",\"Message\":\"aGk=\","
                + "\"Signature\":\"\"," + alg + "}"));
        assertError(400, "SerializationException", post("TrentService.Verify", "{" + key + ",\"Message\":\"aGk=\","
                + "\"Signature\":\"@@\"," + alg + "}"));
        assertEquals(0, audit.size(), "requests AWS's front end refuses never reach kms4j");
        // Known to AWS, but no kms4j key signs that way: the wrong usage, as for any key that lacks the algorithm.
        assertError(400, "InvalidKeyUsageException", post("TrentService.Sign", "{" + key
                + ",\"Message\":\"aGk=\",\"SigningAlgorithm\":\"ECDSA_SHA_512\"}"));
        assertError(400, "InvalidKeyUsageException", post("TrentService.Sign", "{" + key
                + ",\"Message\":\"aGk=\",\"MessageType\":\"EXTERNAL_MU\"," + alg + "}"));
        // Refusals kms4j makes inside the audited call: a 31-byte digest, an invalid signature.
        assertError(400, "ValidationException", post("TrentService.Sign", "{" + key + ",\"MessageType\":\"DIGEST\","
                + "\"Message\":\"" + Base64.getEncoder().encodeToString(new byte[31]) + "\"," + alg + "}"));
        Answer invalid = post("TrentService.Verify", "{" + key + ",\"Message\":\"aGk=\",\"Signature\":\""
                + Base64.getEncoder().encodeToString(new byte[70]) + "\"," + alg + "}");
        assertEquals(400, invalid.status());
        assertEquals("KMSInvalidSignatureException", invalid.type(), invalid.raw().body());
        assertEquals(List.of("ValidationException", "KMSInvalidSignatureException"),
                audit.events().stream().map(AuditEvent::errorCode).toList());
        assertServerStillServes();
    }

    @Test
    public void oversizedBody_413BeforeReadingIt_declaredOrChunked() throws Exception {
        byte[] big = new byte[64 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertError(413, "RequestEntityTooLargeException", post("TrentService.Encrypt", big));
        HttpRequest chunked = HttpRequest.newBuilder(server.endpoint()).header("X-Amz-Target", "TrentService.Encrypt")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertError(413, "RequestEntityTooLargeException", answer(http.send(chunked, HttpResponse.BodyHandlers.ofString())));
        assertServerStillServes();
    }

    @Test
    public void emptyPlaintext_awsValidationException_largePlaintext_auditedByKms() throws Exception {
        assertError(400, "ValidationException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId
                + "\",\"Plaintext\":\"\"}"));
        assertEquals(0, audit.size(), "a request AWS's front end refuses never reaches kms4j");
        String tooLarge = Base64.getEncoder().encodeToString(new byte[4097]);
        assertError(400, "ValidationException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId
                + "\",\"Plaintext\":\"" + tooLarge + "\"}"));
        AuditEvent refused = audit.events().get(0);
        assertEquals("Encrypt", refused.eventName());
        assertEquals("ValidationException", refused.errorCode());
        assertEquals("127.0.0.1", refused.sourceIpAddress());
        assertEquals("bad-input-test/1.0", refused.userAgent());
        assertServerStillServes();
    }

    @Test
    public void kmsErrors_awsStatusAndType() throws Exception {
        assertError(400, "NotFoundException", post("TrentService.DescribeKey", "{\"KeyId\":\"alias/nothing\"}"));
        assertError(400, "InvalidCiphertextException", post("TrentService.Decrypt", "{\"CiphertextBlob\":\""
                + Base64.getEncoder().encodeToString(new byte[80]) + "\"}"));
        assertError(400, "InvalidMarkerException", post("TrentService.ListKeys", "{\"Marker\":\"forged\"}"));
        assertError(400, "InvalidAliasNameException", post("TrentService.CreateAlias", "{\"AliasName\":\"alias/aws/x\","
                + "\"TargetKeyId\":\"" + keyId + "\"}"));
        assertError(400, "InvalidKeyUsageException", post("TrentService.Encrypt", "{\"KeyId\":\"" + keyId
                + "\",\"Plaintext\":\"aGk=\",\"EncryptionAlgorithm\":\"RSAES_OAEP_SHA_256\"}"));
        assertServerStillServes();
    }
}
