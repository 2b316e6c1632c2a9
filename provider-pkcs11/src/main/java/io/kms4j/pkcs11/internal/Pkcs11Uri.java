package io.kms4j.pkcs11.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code pkcs11:} URI in the style of RFC 7512: path attributes separated by {@code ;}, then optionally
 * {@code ?} and query attributes separated by {@code &}; every value percent-decoded as UTF-8.
 *
 * <pre>
 * pkcs11:token=kms4j?module-path=/usr/lib/softhsm/libsofthsm2.so&amp;pin-source=/run/secrets/pin   (a provider)
 * pkcs11:token=kms4j;object=1234abcd-…                                                       (a key)
 * pkcs11:token=kms4j;object=alias%2Forders                                                    (an alias)
 * </pre>
 *
 * <p>Attribute names are checked against RFC 7512's and kms4j's own, so a misspelt one is an error rather than
 * silently ignored; an attribute may appear only once. Parsing never sees a secret: a URI carrying
 * {@code pin-value} is refused by the provider factory.
 *
 * <p>Not API. Thread safety: immutable.
 */
public final class Pkcs11Uri {
    /** The scheme with its colon. */
    public static final String PREFIX = "pkcs11:";

    private static final Set<String> PATH_ATTRIBUTES = Set.of("token", "manufacturer", "serial", "model",
            "library-manufacturer", "library-description", "library-version", "object", "type", "id",
            "slot-description", "slot-manufacturer", "slot-id");
    private static final Set<String> QUERY_ATTRIBUTES = Set.of("module-path", "module-name", "pin-source",
            "pin-value", "pin-env", "pin-file", "state-dir", "slot-id");

    private final Map<String, String> path;
    private final Map<String, String> query;

    private Pkcs11Uri(Map<String, String> path, Map<String, String> query) {
        this.path = Collections.unmodifiableMap(path);
        this.query = Collections.unmodifiableMap(query);
    }

    /**
     * Parses a URI.
     *
     * @throws IllegalArgumentException when it is not a well-formed {@code pkcs11:} URI; the message names the
     *     faulty part
     */
    public static Pkcs11Uri parse(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("not a pkcs11: URI");
        }
        String rest = uri.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String pathPart = question < 0 ? rest : rest.substring(0, question);
        String queryPart = question < 0 ? "" : rest.substring(question + 1);
        return new Pkcs11Uri(attributes(pathPart, ';', PATH_ATTRIBUTES, "path"),
                attributes(queryPart, '&', QUERY_ATTRIBUTES, "query"));
    }

    private static Map<String, String> attributes(String part, char separator, Set<String> known, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return out;
        }
        for (String attribute : part.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            int equals = attribute.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("malformed " + where + " attribute '" + attribute
                        + "' (expected name=value)");
            }
            String name = attribute.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown " + where + " attribute '" + name + "' (known: "
                        + new java.util.TreeSet<>(known) + ")");
            }
            if (out.put(name, decode(attribute.substring(equals + 1))) != null) {
                throw new IllegalArgumentException("attribute '" + name + "' appears twice");
            }
        }
        return out;
    }

    /** A path attribute's decoded value. */
    public Optional<String> pathAttribute(String name) {
        return Optional.ofNullable(path.get(name));
    }

    /** The query attributes, decoded, in the order written. */
    public Map<String, String> queryAttributes() {
        return query;
    }

    /** The path attributes, decoded, in the order written. */
    public Map<String, String> pathAttributes() {
        return path;
    }

    /**
     * Percent-encodes a value for a path attribute: everything but RFC 3986's unreserved characters and the
     * few sub-delimiters RFC 7512 allows unencoded in values.
     */
    public static String encode(String value) {
        if (value.chars().allMatch(Pkcs11Uri::unreserved)) {
            return value; // the common case (key ids are UUIDs): nothing to encode
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:[]@!$'()*+,".indexOf(c) >= 0;
    }

    private static String decode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("truncated percent escape in '" + value + "'");
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed percent escape in '" + value + "'");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7E || c < 0x21) {
                throw new IllegalArgumentException("unencoded character in '" + value + "'; percent-encode it");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent escapes in '" + value + "' are not UTF-8", e);
        }
    }

    /** The URI's attributes; this type never holds secrets ({@code pin-value} is refused by its users). */
    @Override
    public String toString() {
        return "Pkcs11Uri[path=" + path + ", query=" + query.keySet() + "]";
    }
}
