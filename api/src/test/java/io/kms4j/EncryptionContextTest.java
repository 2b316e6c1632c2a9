package io.kms4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionContextTest {

    @Test
    void canonicalBytes_knownAnswer_sortedByUtf8KeyBytes() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("b", "2");
        map.put("a", "1");
        map.put("é", "x"); // UTF-8 c3 a9 sorts after ASCII
        // count=3 | len 1 "a" len 1 "1" | len 1 "b" len 1 "2" | len 2 c3a9 len 1 "x"
        assertEquals("0003" + "0001" + "61" + "0001" + "31" + "0001" + "62" + "0001" + "32"
                        + "0002" + "c3a9" + "0001" + "78",
                HexFormat.of().formatHex(EncryptionContext.of(map).canonicalBytes()));
        assertEquals("0000", HexFormat.of().formatHex(EncryptionContext.empty().canonicalBytes()));
    }

    @Test
    void of_insertionOrder_doesNotMatter() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("x", "1");
        a.put("y", "2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("y", "2");
        b.put("x", "1");
        assertEquals(EncryptionContext.of(a), EncryptionContext.of(b));
        assertArrayEquals(EncryptionContext.of(a).canonicalBytes(), EncryptionContext.of(b).canonicalBytes());
        assertEquals(List.of("x", "y"), List.copyOf(EncryptionContext.of(b).asMap().keySet()));
    }

    @Test
    void of_differentValues_differentEncodings() {
        assertNotEquals(EncryptionContext.of(Map.of("a", "1b2")), EncryptionContext.of(Map.of("a", "1", "b", "2")));
        assertNotEquals(EncryptionContext.of(Map.of("ab", "c")), EncryptionContext.of(Map.of("a", "bc")));
    }

    @Test
    void of_invalidEntries_validationException() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(ValidationException.class, () -> EncryptionContext.of(nullValue));
        assertThrows(ValidationException.class, () -> EncryptionContext.of(Map.of("", "v")));
        assertThrows(ValidationException.class, () -> EncryptionContext.of(Map.of("k", "\uD800")),
                "a lone surrogate would encode like '?'");
        assertThrows(ValidationException.class, () -> EncryptionContext.of(Map.of("k", "v".repeat(8200))));
    }

    @Test
    void fromCanonicalBytes_roundTrip_andRejectsNonCanonical() {
        EncryptionContext c = EncryptionContext.of(Map.of("tenant", "acme", "purpose", "x"));
        assertEquals(c, EncryptionContext.fromCanonicalBytes(c.canonicalBytes()));
        byte[] unsorted = HexFormat.of().parseHex("0002" + "0001" + "62" + "0001" + "32" + "0001" + "61" + "0001" + "31");
        assertThrows(ValidationException.class, () -> EncryptionContext.fromCanonicalBytes(unsorted));
        assertThrows(ValidationException.class, () -> EncryptionContext.fromCanonicalBytes(new byte[] {0, 1, 0}));
        assertThrows(ValidationException.class, () -> EncryptionContext.fromCanonicalBytes(new byte[] {0, 0, 7}));
    }
}
