package io.kms4j.spi.support;

import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A managed key's persistent record: metadata, lifecycle state, rotation settings and its versions.
 *
 * <p>Thread safety: not thread-safe. Records are mutated only inside {@link KeyringStore#update} on a private
 * copy of the keyring, and never after that copy is published; readers therefore see them as immutable.
 */
public final class ManagedKey {
    private final String keyId;
    private final Instant creationDate;
    private final KeyUsage keyUsage;
    private final KeySpec keySpec;
    private String description;
    private KeyState state;
    private Instant deletionDate;
    private boolean rotationEnabled;
    private int rotationPeriodInDays;
    private Instant nextRotationDate;
    private final List<KeyVersionRecord> versions;

    /** Makes a new record in state {@link KeyState#ENABLED} with one version. */
    public ManagedKey(String keyId, Instant creationDate, String description, KeyUsage keyUsage, KeySpec keySpec,
                      KeyVersionRecord firstVersion) {
        this(keyId, creationDate, description, keyUsage, keySpec, KeyState.ENABLED, null, false, 0, null,
                List.of(firstVersion));
    }

    /** Restores a record, as a codec reading a keyring does. */
    public ManagedKey(String keyId, Instant creationDate, String description, KeyUsage keyUsage, KeySpec keySpec,
                      KeyState state, Instant deletionDate, boolean rotationEnabled, int rotationPeriodInDays,
                      Instant nextRotationDate, List<KeyVersionRecord> versions) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.creationDate = Objects.requireNonNull(creationDate, "creationDate");
        this.description = description == null ? "" : description;
        this.keyUsage = Objects.requireNonNull(keyUsage, "keyUsage");
        this.keySpec = Objects.requireNonNull(keySpec, "keySpec");
        this.state = Objects.requireNonNull(state, "state");
        this.deletionDate = deletionDate;
        this.rotationEnabled = rotationEnabled;
        this.rotationPeriodInDays = rotationPeriodInDays;
        this.nextRotationDate = nextRotationDate;
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one version");
        }
        this.versions = new ArrayList<>(versions);
    }

    /** A copy that shares the (immutable) version records. */
    ManagedKey copy() {
        return new ManagedKey(keyId, creationDate, description, keyUsage, keySpec, state, deletionDate,
                rotationEnabled, rotationPeriodInDays, nextRotationDate, versions);
    }

    public String keyId() {
        return keyId;
    }

    public Instant creationDate() {
        return creationDate;
    }

    public String description() {
        return description;
    }

    public KeyUsage keyUsage() {
        return keyUsage;
    }

    public KeySpec keySpec() {
        return keySpec;
    }

    public KeyState state() {
        return state;
    }

    /** The deletion date while pending deletion, else null. */
    public Instant deletionDate() {
        return deletionDate;
    }

    public boolean rotationEnabled() {
        return rotationEnabled;
    }

    /** The rotation period; 0 while rotation is off. */
    public int rotationPeriodInDays() {
        return rotationPeriodInDays;
    }

    /** When automatic rotation is next due; null while rotation is off. */
    public Instant nextRotationDate() {
        return nextRotationDate;
    }

    /** Every version, oldest first. */
    public List<KeyVersionRecord> versions() {
        return List.copyOf(versions);
    }

    /** The version new ciphertexts are made under: the newest. */
    public KeyVersionRecord currentVersion() {
        return versions.get(versions.size() - 1);
    }

    /** A version by number, or null. */
    public KeyVersionRecord version(int number) {
        return number >= 1 && number <= versions.size() ? versions.get(number - 1) : null;
    }

    void setState(KeyState state, Instant deletionDate) {
        this.state = state;
        this.deletionDate = deletionDate;
    }

    void setRotation(boolean enabled, int periodInDays, Instant next) {
        this.rotationEnabled = enabled;
        this.rotationPeriodInDays = periodInDays;
        this.nextRotationDate = next;
    }

    void addVersion(KeyVersionRecord version) {
        if (version.number() != versions.size() + 1) {
            throw new IllegalArgumentException("versions must be added in order");
        }
        versions.add(version);
    }

    @Override
    public String toString() {
        return "ManagedKey[" + keyId + ", " + state + ", versions=" + versions.size() + "]";
    }
}
