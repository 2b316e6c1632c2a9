package io.kms4j.envelope;

import io.kms4j.KeyIdentifier;
import io.kms4j.Kms;
import io.kms4j.ValidationException;
import java.util.Objects;

/**
 * A KMS key that wraps (encrypts) data keys: a {@link Kms} client and a key id in any form that client accepts.
 * The scheme of the client's provider is recorded in each message next to the wrapped key, so a decryptor knows
 * which of its clients can unwrap it without asking them all.
 *
 * <p>Thread safety: immutable (a {@link Kms} is safe for concurrent use).
 */
final class WrappingKey {
    private final Kms kms;
    private final String keyId;
    private final String scheme;

    WrappingKey(Kms kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        if (KeyIdentifier.of(keyId).kind() == KeyIdentifier.Kind.INVALID) {
            throw new ValidationException("invalid key id: '" + keyId + "'");
        }
        this.keyId = keyId;
        this.scheme = kms.providerInfo().scheme();
    }

    Kms kms() {
        return kms;
    }

    String keyId() {
        return keyId;
    }

    String scheme() {
        return scheme;
    }

    /** Whether the id is a full identifier (ARN or key URI) that can be compared with a header's key id as is. */
    boolean isFullIdentifier() {
        return KeyIdentifier.of(keyId).kind() == KeyIdentifier.Kind.URI;
    }

    @Override
    public String toString() {
        return scheme + " " + keyId;
    }
}
