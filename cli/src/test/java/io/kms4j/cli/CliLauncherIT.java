package io.kms4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kms4j command line, run through the real ./kms4j launcher as separate processes, as a new user would. */
class CliLauncherIT {
    @TempDir
    Path home;

    private Launcher cli;

    @BeforeEach
    void setUp() {
        cli = new Launcher(home, "integration passphrase");
    }

    private Launcher.Run ok(String... args) throws Exception {
        Launcher.Run run = cli.kms4j(args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
        return run;
    }

    private String createKey(String description) throws Exception {
        return ok("create-key", "--description", description, "--query", "KeyMetadata.KeyId", "--output", "text")
                .out().trim();
    }

    /** The seed's walkthrough, exactly as README and the tutorial write it. */
    @Test
    void walkthrough_asWritten_roundTripsAndAudits() throws Exception {
        Launcher.Run empty = ok("list-keys");
        assertEquals(List.of(), ((Map<?, ?>) Json.parse(empty.out())).get("Keys"));

        Launcher.Run created = ok("create-key", "--description", "demo");
        Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) Json.parse(created.out())).get("KeyMetadata");
        String key = (String) metadata.get("KeyId");
        assertEquals("Enabled", metadata.get("KeyState"));
        assertEquals("demo", metadata.get("Description"));

        Launcher.Run pipeline = cli.bash("./kms4j encrypt --key-id " + key + " --plaintext secret --query CiphertextBlob"
                + " --output text | base64 --decode > '" + home.resolve("secret.enc") + "' && "
                + "./kms4j decrypt --ciphertext-blob 'fileb://" + home.resolve("secret.enc") + "' --output text"
                + " --query Plaintext | base64 --decode");
        assertEquals(0, pipeline.exitCode(), pipeline::toString);
        assertEquals("secret", pipeline.out());
        assertTrue(Files.size(home.resolve("secret.enc")) > 38, "the file holds the raw ciphertext blob");

        Launcher.Run listed = ok("list-keys", "--query", "Keys[*].KeyId", "--output", "text");
        assertEquals(key, listed.out().trim());

        Launcher.Run jq = cli.bash("./kms4j audit --output json | jq -r '.Records[] | .eventName'");
        assertEquals(0, jq.exitCode(), jq::toString);
        assertEquals(List.of("ListKeys", "CreateKey", "Encrypt", "Decrypt", "ListKeys"), jq.out().lines().toList());
        Launcher.Run verify = ok("audit", "verify");
        assertTrue(verify.out().contains("valid: 5 records"), verify::toString);
    }

    @Test
    void keyManagementCommands_allWork() throws Exception {
        String key = createKey("managed");
        String other = createKey("other");
        ok("create-alias", "--alias-name", "alias/app", "--target-key-id", key);
        assertEquals(key, ok("describe-key", "--key-id", "alias/app", "--query", "KeyMetadata.KeyId", "--output", "text")
                .out().trim());
        assertEquals("alias/app", ok("list-aliases", "--key-id", key, "--query", "Aliases[0].AliasName",
                "--output", "text").out().trim());
        ok("update-alias", "--alias-name", "alias/app", "--target-key-id", other);
        assertEquals(other, ok("describe-key", "--key-id", "alias/app", "--query", "KeyMetadata.KeyId",
                "--output", "text").out().trim());
        ok("delete-alias", "--alias-name", "alias/app");

        ok("disable-key", "--key-id", key);
        assertEquals("Disabled", state(key));
        ok("enable-key", "--key-id", key);
        assertEquals("Enabled", state(key));

        Launcher.Run scheduled = ok("schedule-key-deletion", "--key-id", key, "--pending-window-in-days", "7");
        assertEquals("PendingDeletion", ((Map<?, ?>) Json.parse(scheduled.out())).get("KeyState"));
        ok("cancel-key-deletion", "--key-id", key);
        assertEquals("Disabled", state(key));
        ok("enable-key", "--key-id", key);

        ok("enable-key-rotation", "--key-id", key, "--rotation-period-in-days", "180");
        assertEquals("True\t" + key + "\t180", ok("get-key-rotation-status", "--key-id", key, "--output", "text")
                .out().trim().replaceAll("\t[^\t]+$", ""));
        ok("disable-key-rotation", "--key-id", key);
        ok("rotate-key-on-demand", "--key-id", key);
        assertEquals("ON_DEMAND", ok("list-key-rotations", "--key-id", key, "--query", "Rotations[0].RotationType",
                "--output", "text").out().trim());
    }

    private String state(String key) throws Exception {
        return ok("describe-key", "--key-id", key, "--query", "KeyMetadata.KeyState", "--output", "text").out().trim();
    }

    @Test
    void cryptoCommands_contextsFilesDataKeysAndReEncrypt() throws Exception {
        String key = createKey("crypto");
        String other = createKey("crypto 2");
        Path input = Files.write(home.resolve("input.bin"), new byte[] {0, 1, 2, (byte) 255});
        String blob = ok("encrypt", "--key-id", key, "--plaintext", "fileb://" + input, "--encryption-context",
                "tenant=acme,purpose=test", "--query", "CiphertextBlob", "--output", "text").out().trim();
        Launcher.Run decrypted = ok("decrypt", "--ciphertext-blob", blob, "--encryption-context",
                "{\"purpose\":\"test\",\"tenant\":\"acme\"}", "--key-id", key);
        Map<?, ?> result = (Map<?, ?>) Json.parse(decrypted.out());
        assertEquals("AAEC/w==", result.get("Plaintext"));

        String reEncrypted = ok("re-encrypt", "--ciphertext-blob", blob, "--source-encryption-context",
                "tenant=acme,purpose=test", "--destination-key-id", other, "--query", "CiphertextBlob", "--output",
                "text").out().trim();
        Launcher.Run underOther = ok("decrypt", "--ciphertext-blob", reEncrypted, "--query", "KeyId", "--output", "text");
        assertTrue(underOther.out().contains(other));

        Launcher.Run dataKey = ok("generate-data-key", "--key-id", key, "--key-spec", "AES_128");
        Map<?, ?> dk = (Map<?, ?>) Json.parse(dataKey.out());
        assertEquals(16, java.util.Base64.getDecoder().decode((String) dk.get("Plaintext")).length);
        Launcher.Run unwrapped = ok("decrypt", "--ciphertext-blob", (String) dk.get("CiphertextBlob"), "--query",
                "Plaintext", "--output", "text");
        assertEquals(dk.get("Plaintext"), unwrapped.out().trim());
        String withoutPlaintext = ok("generate-data-key-without-plaintext", "--key-id", key, "--number-of-bytes", "24")
                .out();
        assertFalse(withoutPlaintext.contains("Plaintext"));
        assertEquals(44, ok("generate-random", "--number-of-bytes", "32", "--query", "Plaintext", "--output", "text")
                .out().trim().length());
    }

    /** sign, verify and get-public-key shaped as aws kms's; an invalid signature is exit code 11 and one line. */
    @Test
    void signCommands_signVerifyPublicKey_invalidSignatureExit11() throws Exception {
        Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) Json.parse(ok("create-key", "--key-spec", "ECC_NIST_P256",
                "--key-usage", "SIGN_VERIFY").out())).get("KeyMetadata");
        String key = (String) metadata.get("KeyId");
        assertEquals(List.of("ECDSA_SHA_256"), metadata.get("SigningAlgorithms"));

        // Text is signed as its UTF-8 bytes; the signature, printed as base64, goes to a raw file.
        Path signature = home.resolve("message.sig");
        Launcher.Run signed = cli.bash("./kms4j sign --key-id " + key + " --message 'release 1.0'"
                + " --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 --decode > '"
                + signature + "'");
        assertEquals(0, signed.exitCode(), signed::toString);
        Path message = Files.write(home.resolve("message.txt"), "release 1.0".getBytes(StandardCharsets.UTF_8));
        Map<?, ?> verified = (Map<?, ?>) Json.parse(ok("verify", "--key-id", key, "--message", "fileb://" + message,
                "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_256", "--signature",
                "fileb://" + signature).out());
        assertEquals(Boolean.TRUE, verified.get("SignatureValid"));
        assertEquals("ECDSA_SHA_256", verified.get("SigningAlgorithm"));
        assertTrue(((String) verified.get("KeyId")).endsWith(key), verified::toString);

        Launcher.Run altered = cli.kms4j("verify", "--key-id", key, "--message", "release 1.1",
                "--signing-algorithm", "ECDSA_SHA_256", "--signature", "fileb://" + signature);
        assertError(altered, ExitCodes.INVALID_SIGNATURE, "KMSInvalidSignatureException");
        assertEquals(1, altered.err().lines().filter(l -> !l.contains("WARNING")).count(), altered::toString);

        Map<?, ?> publicKey = (Map<?, ?>) Json.parse(ok("get-public-key", "--key-id", key).out());
        assertEquals("ECC_NIST_P256", publicKey.get("KeySpec"));
        assertEquals("SIGN_VERIFY", publicKey.get("KeyUsage"));
        assertEquals(List.of("ECDSA_SHA_256"), publicKey.get("SigningAlgorithms"));
        java.security.Signature jca = java.security.Signature.getInstance("SHA256withECDSA");
        jca.initVerify(java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec
                .X509EncodedKeySpec(java.util.Base64.getDecoder().decode((String) publicKey.get("PublicKey")))));
        jca.update(Files.readAllBytes(message));
        assertTrue(jca.verify(Files.readAllBytes(signature)), "get-public-key's key verifies sign's signature");

        assertError(cli.kms4j("sign", "--key-id", key, "--message", "x", "--signing-algorithm", "RSASSA_PSS_SHA_256"),
                ExitCodes.VALIDATION, "InvalidKeyUsageException");
    }

    @Test
    void errors_oneLineDistinctExitCodesNoStackTrace() throws Exception {
        String key = createKey("errors");
        assertError(cli.kms4j("describe-key", "--key-id", "no-such-key"), 4, "NotFoundException");

        String blob = ok("encrypt", "--key-id", key, "--plaintext", "x", "--encryption-context", "a=1",
                "--query", "CiphertextBlob", "--output", "text").out().trim();
        assertError(cli.kms4j("decrypt", "--ciphertext-blob", blob, "--encryption-context", "a=2"), 6,
                "InvalidCiphertextException");
        byte[] raw = java.util.Base64.getDecoder().decode(blob);
        Path truncated = Files.write(home.resolve("truncated.enc"), java.util.Arrays.copyOf(raw, raw.length - 3));
        assertError(cli.kms4j("decrypt", "--ciphertext-blob", "fileb://" + truncated), 6, "InvalidCiphertextException");
        raw[raw.length / 2] ^= 1;
        Path corrupt = Files.write(home.resolve("corrupt.enc"), raw);
        assertError(cli.kms4j("decrypt", "--ciphertext-blob", "fileb://" + corrupt, "--encryption-context", "a=1"), 6,
                "InvalidCiphertextException");
        assertError(cli.kms4j("decrypt", "--ciphertext-blob", "not base64!"), 3, "base64");

        ok("disable-key", "--key-id", key);
        assertError(cli.kms4j("encrypt", "--key-id", key, "--plaintext", "x"), 5, "DisabledException");

        assertError(cli.kms4jWith(Map.of("KMS4J_PASSPHRASE", "wrong"), "list-keys"), 7, "wrong passphrase");
        assertError(cli.kms4j("encrypt", "--key-id", key), 2, "--plaintext");
        assertError(cli.kms4j("generate-random", "--number-of-bytes", "5000"), 3, "ValidationException");

        Launcher.Run debug = cli.kms4j("describe-key", "--key-id", "no-such-key", "--debug");
        assertEquals(4, debug.exitCode());
        assertTrue(debug.err().contains("\tat io.kms4j"), "--debug shows the stack trace");
    }

    private static void assertError(Launcher.Run run, int exitCode, String text) {
        assertEquals(exitCode, run.exitCode(), run::toString);
        List<String> lines = run.err().lines().filter(l -> l.startsWith("kms4j: ") && !l.contains("WARNING")).toList();
        assertTrue(lines.size() >= 1 && lines.get(0).contains(text), run::toString);
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug\n" + run);
        assertTrue(run.out().isEmpty(), "nothing on stdout when failing\n" + run);
    }

    @Test
    void audit_filtersExportAndTamperDetection() throws Exception {
        String key = createKey("audited");
        ok("encrypt", "--key-id", key, "--plaintext", "x");
        cli.kms4j("describe-key", "--key-id", "missing");
        Launcher.Run decrypts = ok("audit", "--event-name", "Encrypt", "--output", "json", "--query", "Records[*].eventName");
        assertEquals(List.of("Encrypt"), Json.parse(decrypts.out()));
        Launcher.Run byKey = ok("audit", "--key-id", key);
        assertEquals(2, byKey.out().lines().count(), byKey::toString);
        Launcher.Run future = ok("audit", "--start-time", "2999-01-01T00:00:00Z");
        assertEquals("", future.out());
        Launcher.Run failed = ok("audit", "--output", "json", "--query", "Records[*].errorCode");
        assertEquals(List.of("NotFoundException"), Json.parse(failed.out()));

        Path export = home.resolve("trail.json");
        ok("audit", "export", "--file", export.toString());
        Map<?, ?> exported = (Map<?, ?>) Json.parse(Files.readString(export));
        assertEquals(3, ((List<?>) exported.get("Records")).size());

        Path log = home.resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.set(1, lines.get(1).replace("\"Encrypt\"", "\"Decrypt\""));
        Files.write(log, lines);
        Launcher.Run broken = cli.kms4j("audit", "verify");
        assertEquals(10, broken.exitCode(), broken::toString);
        assertTrue(broken.err().contains("record 2"), broken::toString);
    }

    @Test
    void demo_runsTheWholeWalkthroughOffline() throws Exception {
        Launcher.Run demo = ok("demo", "--home", home.resolve("demo").toString());
        assertTrue(demo.out().contains("Decrypt"));
        assertTrue(demo.out().contains("Verify, altered message") && demo.out().contains("KMSInvalidSignatureException"),
                demo::toString);
        assertTrue(demo.out().contains("audit log valid"), demo::toString);
    }
}
