package io.kms4j.server.internal;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, checked access to the members of one KMS JSON request body. A member of the wrong JSON type, or a
 * blob that is not base64, is a {@code SerializationException}; a missing required member or a value outside
 * an enum is a {@code ValidationException}, worded as AWS words them. A JSON {@code null} counts as absent, and
 * members the server does not know are ignored, as AWS's JSON protocol does.
 *
 * <p>Not API. Thread safety: not thread-safe; one instance per request.
 */
public final class RequestFields {
    private final Map<String, Object> members;

    /** Wraps a parsed request body. */
    public RequestFields(Map<String, Object> members) {
        this.members = members;
    }

    /** Whether a member is present and not null. */
    public boolean has(String name) {
        return members.get(name) != null;
    }

    /** A string member, or null when absent. */
    public String string(String name) {
        Object v = members.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw typeError(name, "a string", v);
        }
        return (String) v;
    }

    /** A string member that must be present. */
    public String requiredString(String name) {
        String v = string(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** A blob member (base64 in JSON), decoded; null when absent. The caller wipes the array. */
    public byte[] blob(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw WireError.serialization("Member '" + name + "' is not valid base64.");
        }
    }

    /** A blob member that must be present. */
    public byte[] requiredBlob(String name) {
        byte[] v = blob(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** An integer member, or null when absent. */
    public Integer integer(String name) {
        Object v = members.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long) || (Long) v < Integer.MIN_VALUE || (Long) v > Integer.MAX_VALUE) {
            throw typeError(name, "an integer", v);
        }
        return ((Long) v).intValue();
    }

    /** A boolean member, or null when absent. */
    public Boolean bool(String name) {
        Object v = members.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean)) {
            throw typeError(name, "a boolean", v);
        }
        return (Boolean) v;
    }

    /** A map of strings to strings (an encryption context), or an empty map when absent. */
    public Map<String, String> stringMap(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw typeError(name, "a map of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw typeError(name + "." + e.getKey(), "a string", e.getValue());
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return out;
    }

    /** A list member, or null when absent. */
    public List<?> list(String name) {
        Object v = members.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw typeError(name, "a list", v);
        }
        return (List<?>) v;
    }

    /**
     * A string member that must be one of AWS's enum values, or null when absent.
     *
     * @throws WireError ValidationException naming the allowed values
     */
    public String enumValue(String name, List<String> allowed) {
        String v = string(name);
        if (v != null && !allowed.contains(v)) {
            throw WireError.validation("1 validation error detected: Value '" + v + "' at '" + camel(name)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return v;
    }

    /** AWS's message for a missing required member. */
    public static WireError missing(String name) {
        return WireError.validation("1 validation error detected: Value null at '" + camel(name)
                + "' failed to satisfy constraint: Member must not be null");
    }

    private static WireError typeError(String name, String expected, Object actual) {
        return WireError.serialization("Member '" + name + "' must be " + expected + ", not " + jsonType(actual) + ".");
    }

    private static String jsonType(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "null";
    }

    /** AWS's validation messages name members in lower camel case ({@code KeyId} → {@code keyId}). */
    static String camel(String name) {
        return name.isEmpty() ? name : name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
    }
}
