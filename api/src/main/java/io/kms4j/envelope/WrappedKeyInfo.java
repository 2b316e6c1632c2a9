package io.kms4j.envelope;

import java.util.Objects;

/**
 * One wrapped copy of a message's data key, as named in the message header: the scheme of the provider that
 * wrapped it (for example {@code local}, {@code pkcs11}) and the full identifier (key ARN or key URI) of the key
 * that wrapped it. Nothing here is secret.
 *
 * @param providerScheme the wrapping provider's URI scheme ({@link io.kms4j.spi.ProviderInfo#scheme()})
 * @param keyId the full identifier of the wrapping key, as the provider returned it
 *
 * <p>Thread safety: immutable.
 */
public record WrappedKeyInfo(String providerScheme, String keyId) {
    /** Checks that both parts are present. */
    public WrappedKeyInfo {
        Objects.requireNonNull(providerScheme, "providerScheme");
        Objects.requireNonNull(keyId, "keyId");
    }
}
