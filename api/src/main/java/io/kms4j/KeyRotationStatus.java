package io.kms4j;

import java.time.Instant;

/**
 * Whether automatic rotation is on for a key, as {@code GetKeyRotationStatus} reports it.
 *
 * @param keyId the key's short id
 * @param rotationEnabled whether automatic rotation is on
 * @param rotationPeriodInDays the period between automatic rotations; 0 when rotation is off
 * @param nextRotationDate when the next automatic rotation is due; null when rotation is off
 *
 * <p>Thread safety: immutable.
 */
public record KeyRotationStatus(String keyId, boolean rotationEnabled, int rotationPeriodInDays,
                                Instant nextRotationDate) {
}
