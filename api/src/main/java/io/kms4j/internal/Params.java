package io.kms4j.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds ordered parameter maps for audit events, leaving out null values.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class Params {
    private Params() {
    }

    /** A map from alternating names and values; pairs with a null value are left out. */
    public static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                map.put((String) namesAndValues[i], value);
            }
        }
        return map;
    }
}
