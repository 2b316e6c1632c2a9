package io.kms4j.pkcs11;

import io.kms4j.conformance.KmsConformanceSuite;
import io.kms4j.conformance.MutableClock;
import io.kms4j.spi.KmsProvider;

/**
 * The whole conformance suite against a real SoftHSM2 token: keys are made on the token, every encryption and
 * decryption runs there, and the metadata lives in a token-sealed file in a fresh state directory per test.
 */
class Pkcs11ProviderConformanceTest extends KmsConformanceSuite {
    @Override
    protected KmsProvider createProvider(MutableClock clock) {
        return TestToken.builder(TestToken.freshStateDirectory(), clock).build();
    }
}
