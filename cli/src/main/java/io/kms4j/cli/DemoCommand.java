package io.kms4j.cli;

import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.DisabledException;
import io.kms4j.EncryptResult;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KeyMetadata;
import io.kms4j.KeySpec;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.KmsInvalidSignatureException;
import io.kms4j.SignRequest;
import io.kms4j.SigningAlgorithm;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditLogVerifier;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.local.KdfParameters;
import io.kms4j.local.LocalKmsProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kms4j demo}: the classic KMS walkthrough end to end, offline, on the embedded local provider, printing
 * each step. It works in a fresh directory (a temporary one unless {@code --home} is given), so it never
 * touches the user's own keystore.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Walk the KMS tutorial offline on the local provider: create a key, encrypt, decrypt "
                + "without a key id, data keys, rotation, a disabled key, signatures, and a verified audit trail.")
final class DemoCommand implements Callable<Integer> {
    private static final String DEMO_PASSPHRASE = "kms4j demo passphrase";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Directory for the demo's keystore and audit log (default: a new temporary directory).")
    Path home;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path dir = home != null ? Files.createDirectories(home) : Files.createTempDirectory("kms4j-demo-");
        Path keystore = dir.resolve("keystore.k4j");
        Path auditLog = dir.resolve("audit.jsonl");
        String passphrase = System.getenv().getOrDefault("KMS4J_PASSPHRASE", DEMO_PASSPHRASE);
        out.println("kms4j demo: the AWS KMS walkthrough, offline, on the dev-only local provider");
        out.println("  keystore  " + keystore);
        out.println("  audit log " + auditLog);
        out.println();

        LocalKmsProvider provider = LocalKmsProvider.builder().keystore(keystore)
                .passphrase(passphrase.toCharArray()).kdfParameters(KdfParameters.DEFAULT).build();
        try (Kms kms = Kms.builder().provider(provider).auditSink(JsonLinesAuditSink.open(auditLog)).build()) {
            KeyMetadata key = kms.createKey(CreateKeyRequest.withDescription("kms4j demo key"));
            step("CreateKey", "created " + key.keyId() + " (" + key.keySpec() + ", " + key.keyState().awsName()
                    + ")\n     full identifier " + key.arn());

            String alias = "alias/demo-" + key.keyId().substring(0, 8);
            kms.createAlias(alias, key.keyId());
            step("CreateAlias", alias + " -> " + key.keyId());

            Map<String, String> context = Map.of("purpose", "demo", "team", "payments");
            byte[] secret = "Hello, kms4j! This is a secret.".getBytes(StandardCharsets.UTF_8);
            EncryptResult encrypted = kms.encrypt(alias, secret, context);
            Path blobFile = dir.resolve("secret.enc");
            Files.write(blobFile, encrypted.ciphertextBlob());
            step("Encrypt", secret.length + " bytes under " + alias + " with context " + context + "\n     "
                    + encrypted.ciphertextBlob().length + "-byte ciphertext saved to " + blobFile + "\n     base64 "
                    + abbreviate(Base64.getEncoder().encodeToString(encrypted.ciphertextBlob())));

            try (DecryptResult decrypted = kms.decrypt(Files.readAllBytes(blobFile), context)) {
                step("Decrypt", "no key id given; the ciphertext names its key (" + decrypted.keyId() + ")\n     "
                        + "plaintext: " + new String(decrypted.plaintext(), StandardCharsets.UTF_8));
            }

            try {
                kms.decrypt(encrypted.ciphertextBlob(), Map.of("purpose", "demo"));
                throw new IllegalStateException("a wrong encryption context decrypted");
            } catch (InvalidCiphertextException expected) {
                step("Decrypt, wrong context", "refused as it must be: " + expected.awsErrorCode());
            }

            try (DataKey dataKey = kms.generateDataKey(key.keyId(), DataKeySpec.AES_256, context)) {
                step("GenerateDataKey", dataKey.length() + "-byte AES key for local (envelope) encryption, and its "
                        + dataKey.ciphertextBlob().length + "-byte encrypted copy to store beside the data\n     "
                        + "toString never shows the key: " + dataKey);
            }

            kms.rotateKeyOnDemand(key.keyId());
            try (DecryptResult again = kms.decrypt(encrypted.ciphertextBlob(), context)) {
                step("RotateKeyOnDemand", "new key version made; the old ciphertext still decrypts ("
                        + again.length() + " bytes)");
            }

            kms.disableKey(key.keyId());
            try {
                kms.encrypt(key.keyId(), secret, context);
                throw new IllegalStateException("a disabled key encrypted");
            } catch (DisabledException expected) {
                step("DisableKey, then Encrypt", "refused: " + expected.awsErrorCode() + ": " + expected.getMessage());
            }
            kms.enableKey(key.keyId());
            step("EnableKey", key.keyId() + " is " + kms.describeKey(key.keyId()).keyState().awsName() + " again");

            KeyMetadata signingKey = kms.createKey(new CreateKeyRequest("kms4j demo signing key",
                    KeyUsage.SIGN_VERIFY, KeySpec.ECC_NIST_P256));
            byte[] release = "release 1.0.0, sha256 of the artifact: 9f86d08...".getBytes(StandardCharsets.UTF_8);
            SignRequest.Builder request = SignRequest.builder().keyId(signingKey.keyId()).message(release)
                    .signingAlgorithm(SigningAlgorithm.ECDSA_SHA_256);
            byte[] signature = kms.sign(request.build()).signature();
            kms.verify(request.signature(signature).build());
            step("Sign and Verify", "an " + signingKey.keySpec() + " key signs (" + signature.length
                    + "-byte ECDSA_SHA_256 signature); Verify accepts it; the private key never left the provider");
            byte[] altered = release.clone();
            altered[0] ^= 1;
            try {
                kms.verify(request.message(altered).build());
                throw new IllegalStateException("an altered message verified");
            } catch (KmsInvalidSignatureException expected) {
                step("Verify, altered message", "refused as it must be: " + expected.awsErrorCode());
            }
        }

        List<AuditEvent> events = JsonLinesAuditSink.readEvents(auditLog);
        StringBuilder trail = new StringBuilder();
        for (AuditEvent e : events) {
            trail.append("\n     ").append(e.eventTime()).append("  ").append(e.eventName())
                    .append(e.failed() ? "  " + e.errorCode() : "");
        }
        step("Audit trail", events.size() + " events, one per call, failures included:" + trail);
        AuditLogVerifier.Result verified = AuditLogVerifier.verify(auditLog);
        step("Audit verify", verified.toString());
        out.println();
        out.println("Done. Everything above ran offline; the files are in " + dir);
        out.flush();
        return verified.valid() ? ExitCodes.OK : ExitCodes.AUDIT_INVALID;
    }

    private void step(String name, String detail) {
        out.printf("%2d. %-26s %s%n", ++step, name, detail);
        out.flush();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
