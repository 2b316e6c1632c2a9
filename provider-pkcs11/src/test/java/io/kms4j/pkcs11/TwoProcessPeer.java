package io.kms4j.pkcs11;

import io.kms4j.CreateKeyRequest;
import io.kms4j.DecryptResult;
import io.kms4j.KeySpec;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.MessageType;
import io.kms4j.SignRequest;
import io.kms4j.SigningAlgorithm;
import io.kms4j.audit.InMemoryAuditSink;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The second process of {@link Pkcs11TwoProcessTest}: opens the same token and state directory through the
 * provider URI (as an application would), reports what it sees of the first process's keys, changes some, and
 * prints {@code name=value} lines for the first process to check.
 *
 * <p>Arguments: module path, token label, state directory, key 1, key 2, a ciphertext of key 1 (Base64), the
 * number of aliases to create. The PIN comes from {@code KMS4J_TEST_PKCS11_PIN}, inherited from the test JVM.
 */
public final class TwoProcessPeer {
    private TwoProcessPeer() {
    }

    public static void main(String[] args) {
        String module = args[0];
        String token = args[1];
        String stateDir = args[2];
        String key1 = args[3];
        String key2 = args[4];
        byte[] blob = Base64.getDecoder().decode(args[5]);
        int aliases = Integer.parseInt(args[6]);
        try (Kms kms = Kms.builder().providerUri("pkcs11:token=" + token + "?module-path=" + module)
                .option("pin-env", TestToken.PIN_VARIABLE).option("state-dir", stateDir)
                .auditSink(new InMemoryAuditSink()).build()) {
            System.out.println("alias-target=" + kms.describeKey("alias/shared").keyId());
            try (DecryptResult r = kms.decrypt(blob, Map.of("from", "parent"))) {
                System.out.println("plaintext=" + new String(r.plaintext(), StandardCharsets.UTF_8));
            }
            kms.createAlias("alias/from-child", key1);
            kms.disableKey(key2);
            kms.rotateKeyOnDemand(key1);
            System.out.println("child-blob=" + Base64.getEncoder().encodeToString(
                    kms.encrypt(key1, "from the child".getBytes(StandardCharsets.UTF_8)).ciphertextBlob()));
            System.out.println("child-key=" + kms.createKey().keyId());
            String signingKey = kms.createKey(new CreateKeyRequest("from the child", KeyUsage.SIGN_VERIFY,
                    KeySpec.ECC_NIST_P256)).keyId();
            System.out.println("child-signing-key=" + signingKey);
            System.out.println("child-signature=" + Base64.getEncoder().encodeToString(kms.sign(SignRequest.builder()
                    .keyId(signingKey).message("signed by the child".getBytes(StandardCharsets.UTF_8))
                    .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithm.ECDSA_SHA_256).build())
                    .signature()));
            for (int i = 0; i < aliases; i++) {
                kms.createAlias("alias/child-" + i, key1);
            }
            System.out.println("done=true");
        }
    }
}
