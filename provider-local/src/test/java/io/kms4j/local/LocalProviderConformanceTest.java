package io.kms4j.local;

import io.kms4j.conformance.KmsConformanceSuite;
import io.kms4j.conformance.MutableClock;
import io.kms4j.spi.KmsProvider;

/** The whole conformance suite against the local provider with in-memory keys. */
class LocalProviderConformanceTest extends KmsConformanceSuite {
    @Override
    protected KmsProvider createProvider(MutableClock clock) {
        return LocalKmsProvider.builder().inMemory().clock(clock).build();
    }
}
