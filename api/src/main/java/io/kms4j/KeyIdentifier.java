package io.kms4j;

import java.util.regex.Pattern;

/**
 * A reference to a key in one of the forms callers may use, classified but not yet resolved.
 *
 * <ul>
 *   <li>{@link Kind#KEY_ID}: the key's short id, for example {@code 1234abcd-12ab-34cd-56ef-1234567890ab};
 *   <li>{@link Kind#ALIAS_NAME}: {@code alias/} followed by a name, for example {@code alias/orders};
 *   <li>{@link Kind#URI}: a full identifier with a scheme or ARN prefix, such as an AWS key or alias ARN, or a
 *       provider key URI ({@code local:key/…}, {@code pkcs11:token=…;object=…}). Each provider says which
 *       URIs are its own; a URI it does not own is simply not found.
 * </ul>
 *
 * <p>Classification never throws: a null, blank or oversized reference is {@link Kind#INVALID} and is refused
 * with {@link ValidationException} inside the audited call, so that even a malformed request leaves an
 * audit event.
 *
 * @param value the reference as the caller wrote it (null only for {@link Kind#INVALID})
 * @param kind its form
 *
 * <p>Thread safety: immutable.
 */
public record KeyIdentifier(String value, Kind kind) {
    /** The longest reference accepted, as in AWS KMS. */
    public static final int MAX_LENGTH = 2048;

    private static final Pattern ALIAS = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");

    /** The forms of key reference. */
    public enum Kind {
        KEY_ID,
        ALIAS_NAME,
        URI,
        INVALID
    }

    /** Classifies a reference; never throws. */
    public static KeyIdentifier of(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH || !value.strip().equals(value)) {
            return new KeyIdentifier(value, Kind.INVALID);
        }
        if (value.startsWith("alias/")) {
            return new KeyIdentifier(value, ALIAS.matcher(value).matches() ? Kind.ALIAS_NAME : Kind.INVALID);
        }
        if (value.indexOf(':') >= 0) {
            return new KeyIdentifier(value, Kind.URI);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return new KeyIdentifier(value, Kind.INVALID);
            }
        }
        return new KeyIdentifier(value, Kind.KEY_ID);
    }

    /** Whether an alias name is well formed ({@code alias/} and 1 to 250 of {@code [a-zA-Z0-9/_-]}). */
    public static boolean isValidAliasName(String name) {
        return name != null && ALIAS.matcher(name).matches();
    }

    /**
     * Returns this reference, or throws when it is malformed.
     *
     * @throws ValidationException when the reference is {@link Kind#INVALID}
     */
    public KeyIdentifier requireValid() {
        if (kind == Kind.INVALID) {
            throw new ValidationException("invalid key id: '" + (value == null ? "" : abbreviate(value)) + "'");
        }
        return this;
    }

    /** The reference as written; used in audit events and error messages. */
    @Override
    public String toString() {
        return value == null ? "" : value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
