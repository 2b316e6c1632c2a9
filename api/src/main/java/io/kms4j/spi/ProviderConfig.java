package io.kms4j.spi;

import io.kms4j.ValidationException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to open a provider: its URI, string options, and the clock it should keep time with.
 *
 * <p>Secrets (passphrases, PINs) are never options themselves: an option names where to read them, an
 * environment variable ({@code NAME-env}) or a file ({@code NAME-file}), so they never appear in a URI, a
 * command line or a log. See {@link #readSecret(String)}.
 *
 * <p>Thread safety: immutable.
 */
public final class ProviderConfig {
    private final URI uri;
    private final Map<String, String> options;
    private final Clock clock;
    private final Function<String, String> environment;

    private ProviderConfig(URI uri, Map<String, String> options, Clock clock, Function<String, String> environment) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.options = Map.copyOf(options);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * A configuration with the system clock and the process environment. Options may also be given in the
     * URI's query ({@code local:/path/ks.k4j?kdf-iterations=1}, {@code pkcs11:token=x?module-path=/lib.so},
     * as RFC 7512 does); an option in {@code options} wins over the same one in the query.
     *
     * @throws ValidationException when the query is malformed or tries to carry a secret itself (a
     *     {@code pin-value}, {@code passphrase} or {@code pin}): secrets never travel in a URI
     */
    public static ProviderConfig of(URI uri, Map<String, String> options) {
        Map<String, String> merged = new LinkedHashMap<>(queryOptions(uri));
        merged.putAll(options);
        return new ProviderConfig(uri, merged, Clock.systemUTC(), System::getenv);
    }

    private static Map<String, String> queryOptions(URI uri) {
        String query = uri.getRawQuery();
        if (query == null && uri.isOpaque()) {
            String ssp = uri.getRawSchemeSpecificPart();
            int q = ssp.indexOf('?');
            query = q >= 0 ? ssp.substring(q + 1) : null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException("malformed option in provider URI query: '" + pair + "'");
            }
            String name = java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            if (name.endsWith("-value") || name.equals("pin") || name.equals("passphrase")) {
                throw new ValidationException("secrets are never given in a provider URI (option '" + name
                        + "'); use " + name.replace("-value", "") + "-env or -file");
            }
            out.put(name, value);
        }
        return out;
    }

    /**
     * The path or name part of the URI without any query: {@code /path/ks.k4j} for {@code local:/path/ks.k4j?x=1},
     * {@code memory} for {@code local:memory}.
     */
    public String location() {
        String ssp = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        int q = ssp == null ? -1 : ssp.indexOf('?');
        return q >= 0 ? ssp.substring(0, q) : ssp;
    }

    /** The same configuration keeping time with {@code clock}. */
    public ProviderConfig withClock(Clock clock) {
        return new ProviderConfig(uri, options, clock, environment);
    }

    /** The same configuration reading environment variables through {@code environment} (for tests). */
    public ProviderConfig withEnvironment(Function<String, String> environment) {
        return new ProviderConfig(uri, options, clock, environment);
    }

    /** The same configuration with one more option. */
    public ProviderConfig withOption(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(options);
        copy.put(name, value);
        return new ProviderConfig(uri, copy, clock, environment);
    }

    /** The provider URI, for example {@code local:/home/me/.kms4j/keystore.k4j}. */
    public URI uri() {
        return uri;
    }

    /** The clock the provider keeps time with. */
    public Clock clock() {
        return clock;
    }

    /** All options. */
    public Map<String, String> options() {
        return options;
    }

    /** One option, if set. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** One environment variable, read through this configuration's environment. */
    public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(environment.apply(name));
    }

    /**
     * Reads a secret named {@code name} from the environment variable named by option {@code name-env}, or
     * from the file named by option {@code name-file} (one trailing newline is dropped). The caller wipes the
     * returned array.
     *
     * @return the secret, or empty when neither option is set
     * @throws ValidationException when an option is set but the variable or file is missing or unreadable;
     *     the message names the variable or file, never the secret
     */
    public Optional<char[]> readSecret(String name) {
        String env = options.get(name + "-env");
        if (env != null) {
            String value = environment.apply(env);
            if (value == null) {
                throw new ValidationException("environment variable " + env + " (for " + name + ") is not set");
            }
            return Optional.of(value.toCharArray());
        }
        String file = options.get(name + "-file");
        if (file != null) {
            byte[] bytes = null;
            try {
                bytes = Files.readAllBytes(Path.of(file));
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\n') {
                    length--;
                }
                if (length > 0 && bytes[length - 1] == '\r') {
                    length--;
                }
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, length));
                char[] secret = new char[chars.remaining()];
                chars.get(secret);
                Arrays.fill(chars.array(), '\0');
                return Optional.of(secret);
            } catch (IOException | RuntimeException e) {
                throw new ValidationException("cannot read " + name + " file " + file, e);
            } finally {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }
        return Optional.empty();
    }

    /** Shows the URI and option names (values of secret-locating options are only paths and names). */
    @Override
    public String toString() {
        return "ProviderConfig[" + uri + ", options=" + options.keySet() + "]";
    }
}
