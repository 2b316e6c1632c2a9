package io.kms4j.envelope;

import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.spi.KmsProvider;

/** Builds the Kms clients the envelope tests use. */
final class Fixtures {
    private Fixtures() {
    }

    /** A Kms over {@code provider}, auditing into memory. */
    static Kms kms(KmsProvider provider) {
        return Kms.builder().provider(provider).auditSink(new InMemoryAuditSink()).build();
    }

    /** A Kms over a fresh test provider of this scheme. */
    static Kms kms(String scheme) {
        return kms(TestKeyringProvider.create(scheme));
    }

    /** Deterministic bytes (not random: easy to compare), {@code length} of them. */
    static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        int x = seed * 0x9E3779B9 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }
}
