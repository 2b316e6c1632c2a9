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

    /** A configuration with the system clock and the process environment. */
    public static ProviderConfig of(URI uri, Map<String, String> options) {
        return new ProviderConfig(uri, options, Clock.systemUTC(), System::getenv);
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
