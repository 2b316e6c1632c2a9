package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.internal.Json;
import io.kms4j.local.LocalKmsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI v2 ({@code /usr/bin/aws} from Debian's {@code awscli} package, installed by
 * {@code scripts/test.sh}; not the v1 that the machine's Python puts first on PATH) runs the walkthrough
 * against the kms4j server with SigV4 verification on: create-key, list-keys, encrypt with the blob saved to a
 * file, decrypt of that file without a key id, generate-data-key, and a disabled key refused with
 * DisabledException; and the signing walkthrough: an ECC_NIST_P256 SIGN_VERIFY key, sign and verify of a file,
 * an altered message refused with KMSInvalidSignatureException, and get-public-key, whose key verifies the
 * signature in plain JCA. The CLI runs with a throw-away HOME and config, so it never reads real credentials.
 */
class AwsCliWalkthroughTest {
    private static final Path AWS_CLI_V2 = Path.of("/usr/bin/aws");
    private static final String ACCESS_KEY_ID = "AKIDWALKTHROUGH";
    private static final String SECRET = "walkthrough-secret";

    @TempDir
    Path home;
    private InMemoryAuditSink audit;
    private Kms kms;
    private KmsHttpServer server;

    @BeforeEach
    void start() {
        audit = new InMemoryAuditSink();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(audit).build();
        server = KmsHttpServer.builder(kms).credentials(SigV4Credentials.of(ACCESS_KEY_ID, SECRET.toCharArray()))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
        kms.close();
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result aws(String secret, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AWS_CLI_V2.toString(), "--endpoint-url",
                server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectOutput(home.resolve("out.txt").toFile()).redirectError(home.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(home.resolve("out.txt")),
                Files.readString(home.resolve("err.txt")));
    }

    private Result ok(String... args) throws IOException, InterruptedException {
        Result r = aws(SECRET, args);
        assertEquals(0, r.exitCode(), "aws " + String.join(" ", args) + " failed: " + r.err());
        return r;
    }

    @Test
    public void walkthrough_awsCliV2_signedRequestsAgainstTheServer() throws Exception {
        assertTrue(ok("--version").out().startsWith("aws-cli/2."), "the AWS CLI v2 runs the walkthrough");

        String keyId = ok("kms", "create-key", "--description", "walkthrough", "--query", "KeyMetadata.KeyId",
                "--output", "text").out().strip();
        assertTrue(keyId.matches("[0-9a-f-]{36}"), keyId);

        Map<String, Object> listed = Json.parseObject(ok("kms", "list-keys", "--output", "json").out());
        assertTrue(listed.get("Keys").toString().contains(keyId));

        byte[] plaintext = "hello from the AWS CLI".getBytes(StandardCharsets.UTF_8);
        Files.write(home.resolve("plaintext.txt"), plaintext);
        String blob = ok("kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://plaintext.txt",
                "--query", "CiphertextBlob", "--output", "text").out().strip();
        Files.write(home.resolve("ciphertext.bin"), Base64.getDecoder().decode(blob));

        String decrypted = ok("kms", "decrypt", "--ciphertext-blob", "fileb://ciphertext.bin",
                "--query", "Plaintext", "--output", "text").out().strip();
        assertArrayEquals(plaintext, Base64.getDecoder().decode(decrypted), "decrypt needs no key id");

        Map<String, Object> dataKey = Json.parseObject(ok("kms", "generate-data-key", "--key-id", keyId,
                "--key-spec", "AES_256", "--output", "json").out());
        assertEquals(32, Base64.getDecoder().decode((String) dataKey.get("Plaintext")).length);
        assertEquals("local:key/" + keyId, dataKey.get("KeyId"));

        ok("kms", "disable-key", "--key-id", keyId);
        Result refused = aws(SECRET, "kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://plaintext.txt");
        assertEquals(254, refused.exitCode(), "a service error is the CLI's exit code 254");
        assertTrue(refused.err().contains("An error occurred (DisabledException) when calling the Encrypt operation"),
                refused.err());

        List<String> events = audit.events().stream().map(AuditEvent::eventName).toList();
        assertEquals(List.of("CreateKey", "ListKeys", "Encrypt", "Decrypt", "GenerateDataKey", "DisableKey", "Encrypt"),
                events);
        for (AuditEvent e : audit.events()) {
            assertTrue(e.userAgent().startsWith("aws-cli/2."), e.userAgent());
            assertEquals("127.0.0.1", e.sourceIpAddress());
            assertEquals(ACCESS_KEY_ID, e.userIdentity().accessKeyId());
        }
    }

    @Test
    public void signingWalkthrough_awsCliV2_signVerifyAndPublicKeyVerifiesInJca() throws Exception {
        Map<String, Object> created = Json.parseObject(ok("kms", "create-key", "--key-spec", "ECC_NIST_P256",
                "--key-usage", "SIGN_VERIFY", "--output", "json").out());
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) created.get("KeyMetadata");
        String keyId = (String) metadata.get("KeyId");
        assertEquals("SIGN_VERIFY", metadata.get("KeyUsage"));
        assertEquals(List.of("ECDSA_SHA_256"), metadata.get("SigningAlgorithms"));

        byte[] message = "release 1.0 checksum".getBytes(StandardCharsets.UTF_8);
        Files.write(home.resolve("message.txt"), message);
        Map<String, Object> signed = Json.parseObject(ok("kms", "sign", "--key-id", keyId,
                "--message", "fileb://message.txt", "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256",
                "--output", "json").out());
        assertEquals("ECDSA_SHA_256", signed.get("SigningAlgorithm"));
        assertEquals("local:key/" + keyId, signed.get("KeyId"));
        byte[] signature = Base64.getDecoder().decode((String) signed.get("Signature"));
        Files.write(home.resolve("signature.bin"), signature);

        Map<String, Object> verified = Json.parseObject(ok("kms", "verify", "--key-id", keyId,
                "--message", "fileb://message.txt", "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256",
                "--signature", "fileb://signature.bin", "--output", "json").out());
        assertEquals(Boolean.TRUE, verified.get("SignatureValid"));

        Files.write(home.resolve("altered.txt"), "release 1.1 checksum".getBytes(StandardCharsets.UTF_8));
        Result altered = aws(SECRET, "kms", "verify", "--key-id", keyId, "--message", "fileb://altered.txt",
                "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--signature", "fileb://signature.bin");
        assertEquals(254, altered.exitCode(), altered.err());
        assertTrue(altered.err().contains(
                "An error occurred (KMSInvalidSignatureException) when calling the Verify operation"), altered.err());

        Map<String, Object> publicKey = Json.parseObject(ok("kms", "get-public-key", "--key-id", keyId,
                "--output", "json").out());
        assertEquals("ECC_NIST_P256", publicKey.get("KeySpec"));
        assertEquals("SIGN_VERIFY", publicKey.get("KeyUsage"));
        assertEquals(List.of("ECDSA_SHA_256"), publicKey.get("SigningAlgorithms"));
        java.security.Signature jca = java.security.Signature.getInstance("SHA256withECDSA");
        jca.initVerify(java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec
                .X509EncodedKeySpec(Base64.getDecoder().decode((String) publicKey.get("PublicKey")))));
        jca.update(message);
        assertTrue(jca.verify(signature), "the CLI's public key verifies the CLI's signature outside kms4j");

        assertEquals(List.of("CreateKey", "Sign", "Verify", "Verify", "GetPublicKey"),
                audit.events().stream().map(AuditEvent::eventName).toList());
        assertEquals("KMSInvalidSignatureException", audit.events().get(3).errorCode());
    }

    @Test
    public void wrongSecret_invalidSignatureException_nothingAudited() throws Exception {
        Result r = aws("not-the-secret", "kms", "list-keys");
        assertEquals(254, r.exitCode(), r.err());
        assertTrue(r.err().contains("InvalidSignatureException"), r.err());
        assertEquals(0, audit.size());
    }

    @Test
    public void rawInBase64Out_plaintextGivenAsText_roundTrips() throws Exception {
        String keyId = ok("kms", "create-key", "--query", "KeyMetadata.Arn", "--output", "text").out().strip();
        String alias = "alias/walkthrough";
        ok("kms", "create-alias", "--alias-name", alias, "--target-key-id", keyId);
        String blob = ok("kms", "encrypt", "--key-id", alias, "--cli-binary-format", "raw-in-base64-out",
                "--plaintext", "text secret", "--encryption-context", "purpose=test",
                "--query", "CiphertextBlob", "--output", "text").out().strip();
        Files.write(home.resolve("c.bin"), Base64.getDecoder().decode(blob));
        String out = ok("kms", "decrypt", "--ciphertext-blob", "fileb://c.bin", "--encryption-context", "purpose=test",
                "--key-id", keyId, "--query", "Plaintext", "--output", "text").out().strip();
        assertEquals("text secret", new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8));
        Result wrongContext = aws(SECRET, "kms", "decrypt", "--ciphertext-blob", "fileb://c.bin");
        assertTrue(wrongContext.err().contains("InvalidCiphertextException"), wrongContext.err());
        Map<String, Object> aliases = Json.parseObject(ok("kms", "list-aliases", "--output", "json").out());
        assertTrue(aliases.toString().contains(alias));
        Map<String, Object> scheduled = Json.parseObject(ok("kms", "schedule-key-deletion", "--key-id", keyId,
                "--pending-window-in-days", "7", "--output", "json").out());
        assertEquals("PendingDeletion", scheduled.get("KeyState"));
        assertTrue(new HashMap<>(scheduled).containsKey("DeletionDate"));
    }
}
