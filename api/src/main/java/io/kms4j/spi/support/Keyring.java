package io.kms4j.spi.support;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a managed-key provider persists: keys, aliases, and tombstones of deleted keys (so a ciphertext
 * of a deleted key is reported as such, not as garbage).
 *
 * <p>Thread safety: not thread-safe. A {@link KeyringStore} publishes snapshots that are never mutated again,
 * and hands {@link KeyringStore#update} a private copy to change.
 */
public final class Keyring {
    private final Map<String, ManagedKey> keys;
    private final TreeMap<String, AliasRecord> aliases;
    private final Map<String, Instant> deletedKeys;
    private long generation;
    private Instant earliestDueDate; // cached per published snapshot, which never changes
    private boolean dueDateKnown;

    /** An alias: name, target key id, creation date. Thread safety: immutable. */
    public record AliasRecord(String name, String targetKeyId, Instant creationDate) {
        /** Checks that every component is present. */
        public AliasRecord {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(targetKeyId, "targetKeyId");
            Objects.requireNonNull(creationDate, "creationDate");
        }
    }

    /** An empty keyring. */
    public Keyring() {
        this(new LinkedHashMap<>(), new TreeMap<>(), new LinkedHashMap<>(), 0);
    }

    private Keyring(Map<String, ManagedKey> keys, TreeMap<String, AliasRecord> aliases,
                    Map<String, Instant> deletedKeys, long generation) {
        this.keys = keys;
        this.aliases = aliases;
        this.deletedKeys = deletedKeys;
        this.generation = generation;
    }

    /** A copy whose maps and key records can be changed without touching this one. */
    public Keyring copy() {
        Map<String, ManagedKey> k = new LinkedHashMap<>();
        keys.forEach((id, key) -> k.put(id, key.copy()));
        return new Keyring(k, new TreeMap<>(aliases), new LinkedHashMap<>(deletedKeys), generation);
    }

    /** A key by id, or null. */
    public ManagedKey key(String keyId) {
        return keys.get(keyId);
    }

    /** Every key, in creation order. */
    public Collection<ManagedKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    /** Adds a key. */
    public void putKey(ManagedKey key) {
        keys.put(key.keyId(), key);
    }

    /** Removes a key and its aliases, leaving a tombstone; returns the removed record, or null. */
    public ManagedKey removeKey(String keyId, Instant deletedAt) {
        ManagedKey removed = keys.remove(keyId);
        if (removed != null) {
            aliases.values().removeIf(a -> a.targetKeyId().equals(keyId));
            deletedKeys.put(keyId, deletedAt);
        }
        return removed;
    }

    /** When a key was deleted, or null when it was never deleted here. */
    public Instant deletedAt(String keyId) {
        return deletedKeys.get(keyId);
    }

    /** Every tombstone: key id to deletion time. */
    public Map<String, Instant> deletedKeys() {
        return Collections.unmodifiableMap(deletedKeys);
    }

    /** Restores a tombstone, as a codec reading a keyring does. */
    public void putTombstone(String keyId, Instant deletedAt) {
        deletedKeys.put(keyId, deletedAt);
    }

    /** An alias by name, or null. */
    public AliasRecord alias(String name) {
        return aliases.get(name);
    }

    /** Every alias, sorted by name. */
    public Collection<AliasRecord> aliases() {
        return Collections.unmodifiableCollection(aliases.values());
    }

    /** The aliases sorted by name, for paging. */
    public java.util.NavigableMap<String, AliasRecord> aliasesByName() {
        return Collections.unmodifiableNavigableMap(aliases);
    }

    /** Adds or replaces an alias. */
    public void putAlias(AliasRecord alias) {
        aliases.put(alias.name(), alias);
    }

    /** Removes an alias; returns it, or null. */
    public AliasRecord removeAlias(String name) {
        return aliases.remove(name);
    }

    /**
     * The earliest moment at which some key needs maintenance: a deletion window ends or an automatic rotation
     * falls due. Null when nothing is scheduled. Computed once per snapshot, so providers can check it on every
     * call in constant time.
     */
    public Instant earliestDueDate() {
        if (!dueDateKnown) {
            Instant earliest = null;
            for (ManagedKey key : keys.values()) {
                earliest = min(earliest, key.deletionDate());
                if (key.rotationEnabled()) {
                    earliest = min(earliest, key.nextRotationDate());
                }
            }
            earliestDueDate = earliest;
            dueDateKnown = true;
        }
        return earliestDueDate;
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** How many times the keyring was written; stores use it to notice changes by other processes. */
    public long generation() {
        return generation;
    }

    /** Sets the generation (stores only). */
    public void setGeneration(long generation) {
        this.generation = generation;
    }
}
