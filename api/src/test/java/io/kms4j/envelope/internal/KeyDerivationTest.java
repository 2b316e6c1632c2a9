package io.kms4j.envelope.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HKDF-SHA-256 against RFC 5869's test cases 1 to 3, and the envelope derivation's bindings. */
class KeyDerivationTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void hkdf_rfc5869TestCase1_expectedPrkAndOkm() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] prk = KeyDerivation.extract(range(0x00, 0x0c), ikm);
        assertArrayEquals(HEX.parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"), prk);
        assertArrayEquals(HEX.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865"), KeyDerivation.expand(prk, range(0xf0, 0xf9), 42));
    }

    @Test
    void hkdf_rfc5869TestCase2_longInputs() {
        byte[] prk = KeyDerivation.extract(range(0x60, 0xaf), range(0x00, 0x4f));
        assertArrayEquals(HEX.parseHex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"), prk);
        assertArrayEquals(HEX.parseHex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87"), KeyDerivation.expand(prk, range(0xb0, 0xff), 82));
    }

    @Test
    void hkdf_rfc5869TestCase3_emptySaltAndInfo() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] prk = KeyDerivation.extract(new byte[0], ikm);
        assertArrayEquals(HEX.parseHex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"), prk);
        assertArrayEquals(HEX.parseHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8"), KeyDerivation.expand(prk, new byte[0], 42));
    }

    @Test
    void hkdf_lengthOutOfRange_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> KeyDerivation.expand(new byte[32], new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> KeyDerivation.expand(new byte[32], new byte[0], 8161));
    }

    @Test
    void derive_anyHeaderByteOrDataKeyBitChanged_differentKeyAndCommitment() {
        byte[] dataKey = new byte[32];
        byte[] header = range(0, 99);
        KeyDerivation.Derived base = KeyDerivation.derive(dataKey, header, header.length);
        assertFalse(Arrays.equals(base.contentKey(), base.commitment()), "independent outputs");
        for (int i = 0; i < header.length; i++) {
            byte[] h = header.clone();
            h[i] ^= 1;
            KeyDerivation.Derived d = KeyDerivation.derive(dataKey, h, h.length);
            assertFalse(Arrays.equals(base.contentKey(), d.contentKey()));
            assertFalse(Arrays.equals(base.commitment(), d.commitment()));
        }
        byte[] otherKey = dataKey.clone();
        otherKey[31] ^= 1;
        assertFalse(Arrays.equals(base.commitment(), KeyDerivation.derive(otherKey, header, 100).commitment()));
    }
}
