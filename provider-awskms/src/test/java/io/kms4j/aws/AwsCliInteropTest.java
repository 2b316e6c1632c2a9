package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.DecryptResult;
import io.kms4j.Kms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ciphertext blobs are AWS's own: what kms4j's AWS provider writes, the AWS CLI v2 ({@code /usr/bin/aws})
 * decrypts, and the other way round, with both talking to the same third-party endpoint (moto_server); likewise
 * each verifies the other's ECDSA signatures.
 */
class AwsCliInteropTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @TempDir
    Path home;
    private Kms kms;

    @BeforeEach
    void open() {
        kms = Kms.builder().provider(AwsTestClients.provider(MOTO.endpoint())).auditSink(e -> { }).build();
    }

    @AfterEach
    void close() {
        kms.close();
    }

    private String aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", MOTO.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", AwsTestClients.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", AwsTestClients.SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectOutput(home.resolve("out").toFile()).redirectError(home.resolve("err").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "aws finished");
        assertEquals(0, p.exitValue(), Files.readString(home.resolve("err")));
        return Files.readString(home.resolve("out")).strip();
    }

    @Test
    public void kms4jEncrypts_awsCliDecryptsWithoutKeyId() throws Exception {
        String keyId = kms.createKey().keyId();
        byte[] plaintext = "written by kms4j".getBytes(StandardCharsets.UTF_8);
        Files.write(home.resolve("blob.bin"), kms.encrypt(keyId, plaintext, Map.of("app", "interop")).ciphertextBlob());
        String out = aws("kms", "decrypt", "--ciphertext-blob", "fileb://blob.bin", "--encryption-context",
                "app=interop", "--query", "Plaintext", "--output", "text");
        assertArrayEquals(plaintext, Base64.getDecoder().decode(out));
    }

    @Test
    public void awsCliEncrypts_kms4jDecrypts() throws Exception {
        String keyId = kms.createKey().keyId();
        Files.writeString(home.resolve("plain.txt"), "written by the AWS CLI");
        String blob = aws("kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://plain.txt",
                "--query", "CiphertextBlob", "--output", "text");
        try (DecryptResult r = kms.decrypt(Base64.getDecoder().decode(blob))) {
            assertEquals("written by the AWS CLI", new String(r.plaintext(), StandardCharsets.UTF_8));
            assertTrue(r.keyId().endsWith(":key/" + keyId), r.keyId());
        }
    }

    @Test
    public void signatures_awsCliSignsKms4jVerifies_andTheOtherWayRound() throws Exception {
        String keyId = kms.createKey(new io.kms4j.CreateKeyRequest("interop", io.kms4j.KeyUsage.SIGN_VERIFY,
                io.kms4j.KeySpec.ECC_NIST_P256)).keyId();
        byte[] message = "signed across tools".getBytes(StandardCharsets.UTF_8);
        Files.write(home.resolve("message.txt"), message);
        byte[] cliSignature = Base64.getDecoder().decode(aws("kms", "sign", "--key-id", keyId, "--message",
                "fileb://message.txt", "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256",
                "--query", "Signature", "--output", "text"));
        io.kms4j.SignRequest.Builder request = io.kms4j.SignRequest.builder().keyId(keyId).message(message)
                .signingAlgorithm(io.kms4j.SigningAlgorithm.ECDSA_SHA_256);
        assertTrue(kms.verify(request.signature(cliSignature).build()).signatureValid());

        Files.write(home.resolve("kms4j.sig"), kms.sign(request.build()).signature());
        assertEquals("True", aws("kms", "verify", "--key-id", keyId, "--message", "fileb://message.txt",
                "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--signature", "fileb://kms4j.sig",
                "--query", "SignatureValid", "--output", "text"));
    }
}
