package io.kms4j.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a provider says about itself.
 *
 * @param name a human-readable name, for example {@code "kms4j local (dev-only)"}
 * @param scheme the URI scheme it is found by, for example {@code "local"}
 * @param eventSource the {@code eventSource} of its audit events, for example {@code "kms4j-local"}
 * @param devOnly whether it is unfit for production (software keys, no certified hardware)
 * @param capabilities optional behaviours it supports; the conformance suite checks each claim, and checks
 *     that a missing capability is refused with {@link io.kms4j.UnsupportedKmsOperationException} or the
 *     documented error rather than silently emulated
 *
 * <p>Thread safety: immutable.
 */
public record ProviderInfo(String name, String scheme, String eventSource, boolean devOnly,
                           Set<Capability> capabilities) {

    /** Copies the capability set. */
    public ProviderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(eventSource, "eventSource");
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /** Whether the provider has a capability. */
    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** Optional behaviours that differ between backends. */
    public enum Capability {
        /**
         * Encrypt accepts an empty plaintext. AWS KMS requires at least one byte; the local and PKCS#11
         * providers accept zero.
         */
        EMPTY_PLAINTEXT,
        /**
         * The provider takes time from an injected {@link java.time.Clock}, so tests can move past a deletion
         * window or a rotation period. A remote service keeps its own time.
         */
        INJECTED_CLOCK,
        /** Keys whose deletion window has passed are destroyed, and their ciphertexts no longer decrypt. */
        DELETION_COMPLETES,
        /**
         * Asymmetric keys (RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384) with usage SIGN_VERIFY:
         * CreateKey, Sign, Verify and GetPublicKey with every {@link io.kms4j.SigningAlgorithm} that fits the key.
         * Without it, CreateKey of those specs and the three operations are refused with
         * {@link io.kms4j.UnsupportedKmsOperationException}.
         */
        SIGN_VERIFY
    }
}
