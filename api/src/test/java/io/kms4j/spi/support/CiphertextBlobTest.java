package io.kms4j.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kms4j.EncryptionContext;
import io.kms4j.InvalidCiphertextException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiphertextBlobTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void header_knownAnswer_matchesDocumentedLayout() {
        byte[] iv = HEX.parseHex("000102030405060708090a0b");
        byte[] header = CiphertextBlob.header("k1", 2, iv);
        // "K4J" | 01 | len 02 | "k1" | version 00000002 | IV
        assertEquals("4b344a" + "01" + "02" + "6b31" + "00000002" + "000102030405060708090a0b", HEX.formatHex(header));
        byte[] aad = CiphertextBlob.aad(header, header.length, EncryptionContext.of(Map.of("a", "b")));
        assertEquals(HEX.formatHex(header) + "0001" + "0001" + "61" + "0001" + "62", HEX.formatHex(aad));
    }

    @Test
    void parse_wellFormed_readsKeyVersionAndIv() {
        byte[] iv = new byte[12];
        Arrays.fill(iv, (byte) 9);
        byte[] blob = CiphertextBlob.assemble(CiphertextBlob.header("key-id", 7, iv), new byte[20]);
        CiphertextBlob parsed = CiphertextBlob.parse(blob);
        assertEquals("key-id", parsed.keyId());
        assertEquals(7, parsed.keyVersion());
        assertEquals(4, parsed.plaintextLength());
        assertEquals(HEX.formatHex(iv), HEX.formatHex(parsed.iv()));
    }

    @Test
    void parse_shortMalformedOrForeign_invalidCiphertextBeforeAnyDecryption() {
        byte[] good = CiphertextBlob.assemble(CiphertextBlob.header("key", 1, new byte[12]), new byte[16]);
        CiphertextBlob.parse(good);
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(InvalidCiphertextException.class, () -> CiphertextBlob.parse(cut), "length " + length);
        }
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        byte[] badVersion = good.clone();
        badVersion[3] = 2;
        byte[] zeroKeyVersion = good.clone();
        Arrays.fill(zeroKeyVersion, 8, 12, (byte) 0);
        byte[] badIdChar = good.clone();
        badIdChar[5] = ' ';
        for (byte[] bad : new byte[][] {badMagic, badVersion, zeroKeyVersion, badIdChar}) {
            assertThrows(InvalidCiphertextException.class, () -> CiphertextBlob.parse(bad));
        }
    }
}
