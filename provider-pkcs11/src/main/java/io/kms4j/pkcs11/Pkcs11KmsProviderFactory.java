package io.kms4j.pkcs11;

import io.kms4j.ValidationException;
import io.kms4j.pkcs11.internal.Pkcs11Uri;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.KmsProviderFactory;
import io.kms4j.spi.ProviderConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Opens {@link Pkcs11KmsProvider}s by URI, in the style of RFC 7512:
 *
 * <pre>
 * pkcs11:token=kms4j?module-path=/usr/lib/softhsm/libsofthsm2.so
 * </pre>
 *
 * <p>Settings, as URI query attributes or as provider options (an option wins over the URI):
 * <ul>
 *   <li>{@code module-path} (required): the PKCS#11 module;
 *   <li>{@code pin-env=VAR} or {@code pin-file=PATH} (RFC 7512's {@code pin-source=PATH} too): where the user
 *       PIN is read; else the variable {@value #PIN_VARIABLE}. A {@code pin-value} is refused: a PIN never
 *       belongs in a URI;
 *   <li>{@code slot-id} (also a path attribute): skip the search for the token by label;
 *   <li>{@code state-dir}: where key metadata lives, default {@code ~/.kms4j/pkcs11/<token label>}.
 * </ul>
 *
 * <p>Thread safety: stateless.
 */
public final class Pkcs11KmsProviderFactory implements KmsProviderFactory {
    /** The environment variable read for the PIN when no PIN option is given. */
    public static final String PIN_VARIABLE = "KMS4J_PKCS11_PIN";

    @Override
    public String scheme() {
        return Pkcs11KmsProvider.SCHEME;
    }

    /**
     * @throws ValidationException when the URI or a setting is malformed or missing, or a PIN is put in the URI
     * @throws io.kms4j.AccessDeniedException when the token refuses the PIN
     * @throws io.kms4j.KmsException (typed) for other failures to open the token, see
     *     {@link Pkcs11KmsProvider.Builder#build()}
     */
    @Override
    public KmsProvider create(ProviderConfig config) {
        Pkcs11Uri uri;
        try {
            uri = Pkcs11Uri.parse(config.uri().toString());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("malformed PKCS#11 provider URI " + redacted(config) + ": "
                    + e.getMessage(), e);
        }
        if (uri.queryAttributes().containsKey("pin-value")) {
            throw new ValidationException("a PIN must not be written in the provider URI (pin-value); use pin-env, "
                    + "pin-file or pin-source");
        }
        if (uri.pathAttribute("object").isPresent()) {
            throw new ValidationException("a provider URI names a token, not an object: drop 'object=' from it");
        }
        ProviderConfig merged = config;
        for (Map.Entry<String, String> e : uri.queryAttributes().entrySet()) {
            boolean pinSource = e.getKey().equals("pin-source");
            String name = pinSource ? "pin-file" : e.getKey();
            if (merged.option(name).isEmpty()) {
                merged = merged.withOption(name, pinSource ? pinSourcePath(e.getValue()) : e.getValue());
            }
        }
        if (uri.pathAttribute("slot-id").isPresent() && merged.option("slot-id").isEmpty()) {
            merged = merged.withOption("slot-id", uri.pathAttribute("slot-id").get());
        }
        String label = uri.pathAttribute("token").orElseThrow(() -> new ValidationException(
                "the PKCS#11 provider URI must name the token by label, for example pkcs11:token=kms4j"));
        if (merged.option("module-name").isPresent() && merged.option("module-path").isEmpty()) {
            throw new ValidationException("give the PKCS#11 module as module-path (a file), not module-name");
        }
        String module = merged.option("module-path").orElseThrow(() -> new ValidationException(
                "the PKCS#11 provider needs module-path, for example "
                        + "pkcs11:token=" + Pkcs11Uri.encode(label) + "?module-path=/usr/lib/softhsm/libsofthsm2.so"));

        Pkcs11KmsProvider.Builder builder = Pkcs11KmsProvider.builder().modulePath(Path.of(module))
                .tokenLabel(label).clock(merged.clock());
        merged.option("state-dir").ifPresent(dir -> builder.stateDirectory(Path.of(expandHome(dir))));
        merged.option("slot-id").ifPresent(slot -> builder.slotId(parseSlotId(slot)));
        ProviderConfig pinSource = merged;
        char[] pin = pinSource.readSecret("pin")
                .or(() -> pinSource.environmentVariable(PIN_VARIABLE).map(String::toCharArray))
                .orElseThrow(() -> new ValidationException("the PKCS#11 provider needs the token's user PIN: set "
                        + PIN_VARIABLE + ", or the option pin-env or pin-file"));
        try {
            return builder.pin(pin).build();
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** RFC 7512's pin-source is a URI reference: a {@code file:} URI or a plain path. */
    private static String pinSourcePath(String value) {
        if (!value.regionMatches(true, 0, "file:", 0, 5)) {
            return value;
        }
        try {
            return Path.of(java.net.URI.create(value)).toString();
        } catch (IllegalArgumentException e) {
            throw new ValidationException("pin-source must be a file path or a file: URI", e);
        }
    }

    private static long parseSlotId(String value) {
        try {
            String v = value.trim();
            return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ValidationException("slot-id must be a number, was '" + value + "'");
        }
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The URI without its query, which could hold a mistaken pin-value. */
    private static String redacted(ProviderConfig config) {
        String uri = config.uri().toString();
        int question = uri.indexOf('?');
        return question < 0 ? uri : uri.substring(0, question) + "?…";
    }
}
