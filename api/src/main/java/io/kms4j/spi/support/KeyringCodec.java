package io.kms4j.spi.support;

import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import io.kms4j.RotationType;
import io.kms4j.internal.SecretBuffer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Serializes a {@link Keyring} to bytes and back: the plaintext payload of the local keystore (which
 * encrypts it) and of any other store that wants a compact, versioned form. The layout is specified in
 * {@code docs/FORMATS.md}.
 *
 * <p>Decoding is strict: trailing bytes, unknown enum codes or impossible values are errors, so a corrupted
 * payload is refused rather than half-read.
 *
 * <p>Thread safety: stateless.
 */
public final class KeyringCodec {
    /** The payload format version this codec writes and reads. */
    public static final int PAYLOAD_VERSION = 1;

    private static final KeyUsage[] USAGES = KeyUsage.values();
    private static final KeySpec[] SPECS = KeySpec.values();
    private static final KeyState[] STATES = KeyState.values();
    private static final RotationType[] ROTATION_TYPES = RotationType.values();

    private KeyringCodec() {
    }

    /** Encodes a keyring; the caller wipes the result when it holds key material. */
    public static byte[] encode(Keyring keyring) {
        try (SecretBuffer buffer = new SecretBuffer(4096); DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(PAYLOAD_VERSION);
            out.writeLong(keyring.generation());
            out.writeInt(keyring.keys().size());
            for (ManagedKey key : keyring.keys()) {
                out.writeUTF(key.keyId());
                out.writeUTF(key.description());
                out.writeByte(key.keyUsage().ordinal());
                out.writeByte(key.keySpec().ordinal());
                out.writeByte(key.state().ordinal());
                out.writeLong(key.creationDate().toEpochMilli());
                writeInstant(out, key.deletionDate());
                out.writeBoolean(key.rotationEnabled());
                out.writeInt(key.rotationPeriodInDays());
                writeInstant(out, key.nextRotationDate());
                List<KeyVersionRecord> versions = key.versions();
                out.writeInt(versions.size());
                for (KeyVersionRecord v : versions) {
                    out.writeInt(v.number());
                    out.writeLong(v.createdAt().toEpochMilli());
                    out.writeByte(v.rotationType() == null ? 0 : v.rotationType().ordinal() + 1);
                    byte[] material = v.material();
                    try {
                        out.writeShort(material.length);
                        out.write(material);
                    } finally {
                        Arrays.fill(material, (byte) 0);
                    }
                }
            }
            out.writeInt(keyring.aliases().size());
            for (Keyring.AliasRecord alias : keyring.aliases()) {
                out.writeUTF(alias.name());
                out.writeUTF(alias.targetKeyId());
                out.writeLong(alias.creationDate().toEpochMilli());
            }
            out.writeInt(keyring.deletedKeys().size());
            for (var e : keyring.deletedKeys().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().toEpochMilli());
            }
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory serialization cannot fail", e);
        }
    }

    /**
     * Decodes a keyring.
     *
     * @throws IllegalArgumentException when the bytes are not exactly one payload of a known version
     */
    public static Keyring decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readInt();
            if (version != PAYLOAD_VERSION) {
                throw new IllegalArgumentException("unsupported keyring payload version " + version);
            }
            Keyring keyring = new Keyring();
            keyring.setGeneration(in.readLong());
            int keyCount = count(in);
            for (int i = 0; i < keyCount; i++) {
                String keyId = in.readUTF();
                String description = in.readUTF();
                KeyUsage usage = pick(USAGES, in.readUnsignedByte());
                KeySpec spec = pick(SPECS, in.readUnsignedByte());
                KeyState state = pick(STATES, in.readUnsignedByte());
                Instant created = Instant.ofEpochMilli(in.readLong());
                Instant deletion = readInstant(in);
                boolean rotation = in.readBoolean();
                int period = in.readInt();
                Instant next = readInstant(in);
                int versionCount = count(in);
                List<KeyVersionRecord> versions = new ArrayList<>(versionCount);
                for (int v = 0; v < versionCount; v++) {
                    int number = in.readInt();
                    Instant at = Instant.ofEpochMilli(in.readLong());
                    int type = in.readUnsignedByte();
                    byte[] material = new byte[in.readUnsignedShort()];
                    in.readFully(material);
                    try {
                        versions.add(new KeyVersionRecord(number, at, type == 0 ? null : pick(ROTATION_TYPES, type - 1),
                                material));
                    } finally {
                        Arrays.fill(material, (byte) 0);
                    }
                }
                keyring.putKey(new ManagedKey(keyId, created, description, usage, spec, state, deletion, rotation,
                        period, next, versions));
            }
            int aliasCount = count(in);
            for (int i = 0; i < aliasCount; i++) {
                keyring.putAlias(new Keyring.AliasRecord(in.readUTF(), in.readUTF(), Instant.ofEpochMilli(in.readLong())));
            }
            int tombstones = count(in);
            for (int i = 0; i < tombstones; i++) {
                keyring.putTombstone(in.readUTF(), Instant.ofEpochMilli(in.readLong()));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("keyring payload has trailing bytes");
            }
            return keyring;
        } catch (IOException e) {
            throw new IllegalArgumentException("keyring payload is truncated or malformed", e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IllegalArgumentException("keyring payload has an impossible count");
        }
        return n;
    }

    private static <E> E pick(E[] values, int ordinal) {
        if (ordinal >= values.length) {
            throw new IllegalArgumentException("keyring payload has an unknown code " + ordinal);
        }
        return values[ordinal];
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.toEpochMilli());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochMilli(in.readLong()) : null;
    }
}
