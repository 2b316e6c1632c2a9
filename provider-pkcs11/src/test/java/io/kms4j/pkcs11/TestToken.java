package io.kms4j.pkcs11;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import io.kms4j.pkcs11.internal.TokenSlotResolver;

/**
 * The SoftHSM2 tokens of this test run, made by {@code src/test/softhsm/init-token.sh} before the test JVM
 * started; the POM passes their module, labels, PIN and {@code SOFTHSM2_CONF} in. Real tokens, no mocks.
 */
final class TestToken {
    /** The environment variable holding the test tokens' user PIN (set by the POM for the test JVM). */
    static final String PIN_VARIABLE = "KMS4J_TEST_PKCS11_PIN";

    private TestToken() {
    }

    static Path module() {
        return Path.of(required("kms4j.test.pkcs11.module"));
    }

    /** The token most tests use. */
    static String label() {
        return required("kms4j.test.pkcs11.token");
    }

    /** A second token of the same module, for tests that must not disturb the first. */
    static String otherLabel() {
        return required("kms4j.test.pkcs11.otherToken");
    }

    static char[] pin() {
        String pin = System.getenv(PIN_VARIABLE);
        if (pin == null) {
            throw new IllegalStateException(PIN_VARIABLE + " is not set: run the tests through Maven "
                    + "(the POM creates the SoftHSM2 tokens and passes their PIN)");
        }
        return pin.toCharArray();
    }

    /** The SOFTHSM2_CONF of this run. */
    static String softHsmConf() {
        return System.getenv("SOFTHSM2_CONF");
    }

    /** A new, empty state directory under target/. */
    static Path freshStateDirectory() {
        try {
            Path root = Path.of(required("kms4j.test.pkcs11.dir"), "state");
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A builder for the main test token with the test PIN. */
    static Pkcs11KmsProvider.Builder builder(Path stateDirectory, Clock clock) {
        return Pkcs11KmsProvider.builder().modulePath(module()).tokenLabel(label()).pin(pin())
                .stateDirectory(stateDirectory).clock(clock);
    }

    /**
     * A SunPKCS11 instance of this test's own on a test token, separate from kms4j's: what other code in the same
     * process would use. Cached, since SunPKCS11 instances cannot be disposed of.
     */
    static synchronized Provider rawSunPkcs11(String tokenLabel) {
        return RAW.computeIfAbsent(tokenLabel, label -> {
            long slot = TokenSlotResolver.resolve(module().toString(), label);
            return Security.getProvider("SunPKCS11").configure("--name = raw-test-" + slot + "\nlibrary = "
                    + module() + "\nslot = " + slot + "\n");
        });
    }

    private static final Map<String, Provider> RAW = new HashMap<>();

    /** The label of the sealing key a state directory's keyring file names in its header. */
    static String sealKeyLabel(Path stateDirectory) {
        try {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(Files.readAllBytes(
                    stateDirectory.resolve(io.kms4j.pkcs11.internal.TokenKeyringStore.FILE_NAME)));
            in.position(9);
            in.position(in.position() + 1 + Byte.toUnsignedInt(in.get(in.position())));
            byte[] label = new byte[Byte.toUnsignedInt(in.get())];
            in.get(label);
            return new String(label, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through "
                    + "Maven (the POM creates the SoftHSM2 tokens)");
        }
        return value;
    }
}
