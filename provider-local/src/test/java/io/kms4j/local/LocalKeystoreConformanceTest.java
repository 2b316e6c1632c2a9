package io.kms4j.local;

import io.kms4j.conformance.KmsConformanceSuite;
import io.kms4j.conformance.MutableClock;
import io.kms4j.spi.KmsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole conformance suite against the local provider with keys in an encrypted keystore file, so the
 * persistence path (encode, encrypt, atomic write, reload) is held to the same behaviour as memory.
 */
class LocalKeystoreConformanceTest extends KmsConformanceSuite {
    @Override
    protected KmsProvider createProvider(MutableClock clock) {
        try {
            Path dir = Files.createTempDirectory("kms4j-conformance");
            return LocalKmsProvider.builder().keystore(dir.resolve("keystore.k4j"))
                    .passphrase("conformance passphrase".toCharArray()).kdfParameters(KdfParameters.FOR_TESTS)
                    .clock(clock).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected int concurrentOperations() {
        return 2000;
    }
}
