package io.kms4j.local;

import io.kms4j.CreateKeyRequest;
import java.nio.file.Path;

/**
 * A separate process for the keystore crash and sharing tests: opens a keystore and creates keys in a loop,
 * printing each key id once it is durably written. The crash test kills it at random moments.
 */
public final class KeystoreWriterMain {
    private KeystoreWriterMain() {
    }

    public static void main(String[] args) {
        Path keystore = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        try (LocalKmsProvider provider = LocalKmsProvider.builder().keystore(keystore)
                .passphrase(args[2].toCharArray()).kdfParameters(KdfParameters.FOR_TESTS).build()) {
            for (int i = 0; i < count; i++) {
                String id = provider.createKey(CreateKeyRequest.withDescription("writer " + i)).keyId();
                System.out.println(id);
                System.out.flush();
            }
        }
    }
}
