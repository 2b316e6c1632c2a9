package io.kms4j;

import java.time.Instant;
import java.util.Objects;

/**
 * One completed rotation of a key: a new key version that encrypts from then on. Ciphertexts made under
 * earlier versions still decrypt, because each ciphertext names the version it was made under.
 *
 * @param keyId the key's short id
 * @param keyVersion the version number the rotation made (versions count up from 1)
 * @param rotationDate when the rotation happened
 * @param rotationType whether it was automatic or on demand
 *
 * <p>Thread safety: immutable.
 */
public record KeyRotation(String keyId, int keyVersion, Instant rotationDate, RotationType rotationType) {
    /** Checks that the components are present. */
    public KeyRotation {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(rotationDate, "rotationDate");
        Objects.requireNonNull(rotationType, "rotationType");
    }
}
