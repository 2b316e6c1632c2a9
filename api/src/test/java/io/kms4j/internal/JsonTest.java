package io.kms4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writeThenParse_roundTripsEveryType() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote\" backslash\\ newline\n tab\t ctrl\u0001 unicode é ✓");
        m.put("n", 42L);
        m.put("d", new BigDecimal("1.5"));
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, "two", List.of()));
        m.put("o", Map.of("k", "v"));
        String json = Json.write(m);
        assertEquals(m, Json.parse(json));
        assertEquals(json, Json.write(Json.parse(json)), "output is deterministic");
    }

    @Test
    void parse_malformedOrHostile_jsonException() {
        for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "tru", "\"unterminated",
                "{\"a\":1}{", "01", "1.", "{\"a\":1,\"a\":2}", "\"\\x\"", "[" + "[".repeat(100) + "]".repeat(101),
                "\"ctrl\u0001\""}) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void parse_numbers_longWhenIntegralElseDecimal() {
        assertEquals(1795872477L, Json.parse("1795872477"));
        assertEquals(new BigDecimal("1.715359245193E9"), Json.parse("1.715359245193E9"));
        assertEquals(-3L, Json.parse(" -3 "));
    }
}
