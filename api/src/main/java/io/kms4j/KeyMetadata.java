package io.kms4j;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a provider knows about a key, shaped like AWS KMS's {@code KeyMetadata}. Never contains key material.
 *
 * @param keyId the key's short id, for example a UUID
 * @param arn the key's full identifier (an AWS ARN, or a provider key URI), accepted wherever a key id is
 * @param creationDate when the key was created
 * @param description the caller's description; empty when none was given
 * @param keyUsage what the key may be used for
 * @param keySpec the key's type
 * @param keyState the key's lifecycle state
 * @param deletionDate when a key pending deletion will be destroyed; null in every other state
 *
 * <p>Thread safety: immutable.
 */
public record KeyMetadata(
        String keyId,
        String arn,
        Instant creationDate,
        String description,
        KeyUsage keyUsage,
        KeySpec keySpec,
        KeyState keyState,
        Instant deletionDate) {

    /** Checks that the required components are present. */
    public KeyMetadata {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(creationDate, "creationDate");
        description = description == null ? "" : description;
        Objects.requireNonNull(keyUsage, "keyUsage");
        Objects.requireNonNull(keySpec, "keySpec");
        Objects.requireNonNull(keyState, "keyState");
    }

    /** The algorithms the key signs with, as AWS's {@code SigningAlgorithms}; empty for encryption keys. */
    public List<SigningAlgorithm> signingAlgorithms() {
        return keyUsage == KeyUsage.SIGN_VERIFY ? SigningAlgorithm.forKeySpec(keySpec) : List.of();
    }

    /** Whether the key is enabled, as AWS's {@code Enabled} field reports it. */
    public boolean enabled() {
        return keyState == KeyState.ENABLED;
    }
}
