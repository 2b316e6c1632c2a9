package io.kms4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import io.kms4j.RotationType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyringCodecTest {

    @Test
    void encodeDecode_roundTripsEverything() {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        Keyring k = new Keyring();
        k.setGeneration(9);
        k.putKey(new ManagedKey("a", t, "first", KeyUsage.ENCRYPT_DECRYPT, KeySpec.SYMMETRIC_DEFAULT,
                KeyState.PENDING_DELETION, t.plusSeconds(99), true, 365, t.plusSeconds(5),
                List.of(new KeyVersionRecord(1, t, null, new byte[] {1, 2}),
                        new KeyVersionRecord(2, t.plusSeconds(1), RotationType.ON_DEMAND, new byte[] {3}))));
        k.putAlias(new Keyring.AliasRecord("alias/x", "a", t));
        k.putTombstone("gone", t);
        byte[] encoded = KeyringCodec.encode(k);
        Keyring back = KeyringCodec.decode(encoded);
        assertArrayEquals(encoded, KeyringCodec.encode(back));
        ManagedKey a = back.key("a");
        assertEquals(KeyState.PENDING_DELETION, a.state());
        assertEquals(RotationType.ON_DEMAND, a.version(2).rotationType());
        assertArrayEquals(new byte[] {3}, a.version(2).material());
        assertEquals("a", back.alias("alias/x").targetKeyId());
        assertEquals(t, back.deletedAt("gone"));
        assertEquals(9, back.generation());
    }

    @Test
    void decode_truncatedOrTrailingBytes_refused() {
        byte[] encoded = KeyringCodec.encode(new Keyring());
        assertThrows(IllegalArgumentException.class, () -> KeyringCodec.decode(Arrays.copyOf(encoded, encoded.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> KeyringCodec.decode(Arrays.copyOf(encoded, encoded.length + 1)));
    }

    /** The payload stores enum codes by position; reordering an enum would silently corrupt keystores. */
    @Test
    void enumCodes_pinnedByTheFormat() {
        assertEquals(List.of("ENCRYPT_DECRYPT", "SIGN_VERIFY"), names(KeyUsage.values()));
        assertEquals(List.of("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
                "ECC_NIST_P384"), names(KeySpec.values()));
        assertEquals(List.of("ENABLED", "DISABLED", "PENDING_DELETION", "UNAVAILABLE"), names(KeyState.values()));
        assertEquals(List.of("AUTOMATIC", "ON_DEMAND"), names(RotationType.values()));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
