package io.kms4j.spi.support;

import io.kms4j.RotationType;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a managed key: its number, when it was made and how, and the backend's reference to its
 * material. For the local provider the material is the AES key itself (the keystore encrypts it at rest);
 * for a PKCS#11 token it is the label of a token object, and the key never leaves the token.
 *
 * <p>Thread safety: immutable once published in a {@link Keyring} snapshot. The material array is never
 * handed out: {@link #material()} returns a copy.
 */
public final class KeyVersionRecord {
    private final int number;
    private final Instant createdAt;
    private final RotationType rotationType; // null for version 1
    private final byte[] material;

    /**
     * Makes a version record, copying {@code material}.
     *
     * @param rotationType how the version was made; null for a key's first version
     */
    public KeyVersionRecord(int number, Instant createdAt, RotationType rotationType, byte[] material) {
        if (number < 1) {
            throw new IllegalArgumentException("key versions start at 1");
        }
        this.number = number;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.rotationType = rotationType;
        this.material = Objects.requireNonNull(material, "material").clone();
    }

    /** The version number, from 1. */
    public int number() {
        return number;
    }

    /** When the version was made. */
    public Instant createdAt() {
        return createdAt;
    }

    /** How the version was made; null for the key's first version. */
    public RotationType rotationType() {
        return rotationType;
    }

    /** A copy of the backend's material (or material reference); the caller wipes it if it is secret. */
    public byte[] material() {
        return material.clone();
    }

    /** The material's length in bytes. */
    public int materialLength() {
        return material.length;
    }

    /** Shows the number and date, never the material. */
    @Override
    public String toString() {
        return "KeyVersion[" + number + ", " + createdAt + ", material=<redacted>]";
    }
}
