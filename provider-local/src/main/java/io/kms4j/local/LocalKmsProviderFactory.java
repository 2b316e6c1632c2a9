package io.kms4j.local;

import io.kms4j.ValidationException;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.KmsProviderFactory;
import io.kms4j.spi.ProviderConfig;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens {@link LocalKmsProvider}s by URI: {@code local:memory} for in-memory keys, or {@code local:PATH} for a
 * keystore file ({@code ~/} expands to the home directory).
 *
 * <p>Options: {@code passphrase-env=VAR} or {@code passphrase-file=PATH} (else the variable
 * {@code KMS4J_PASSPHRASE}); {@code kdf-memory-kib}, {@code kdf-iterations}, {@code kdf-parallelism} for a new
 * keystore; {@code allow-in-production=true}.
 *
 * <p>Thread safety: stateless.
 */
public final class LocalKmsProviderFactory implements KmsProviderFactory {
    /** The environment variable read when no passphrase option is given. */
    public static final String PASSPHRASE_VARIABLE = "KMS4J_PASSPHRASE";

    @Override
    public String scheme() {
        return LocalKmsProvider.SCHEME;
    }

    @Override
    public KmsProvider create(ProviderConfig config) {
        String where = config.location();
        LocalKmsProvider.Builder builder = LocalKmsProvider.builder().clock(config.clock())
                .allowInProduction(Boolean.parseBoolean(config.option("allow-in-production").orElse("false")));
        if (where == null || where.isEmpty()) {
            throw new ValidationException("local provider URI needs a keystore path or 'memory': " + config.uri());
        }
        if (where.equals("memory")) {
            return builder.inMemory().build();
        }
        if (where.startsWith("~/")) {
            where = System.getProperty("user.home") + where.substring(1);
        }
        char[] passphrase = config.readSecret("passphrase")
                .or(() -> config.environmentVariable(PASSPHRASE_VARIABLE).map(String::toCharArray))
                .orElseThrow(() -> new ValidationException("the local keystore needs a passphrase: set "
                        + PASSPHRASE_VARIABLE + ", or the option passphrase-env or passphrase-file"));
        try {
            KdfParameters d = KdfParameters.DEFAULT;
            KdfParameters kdf = new KdfParameters(
                    intOption(config, "kdf-memory-kib", d.memoryKiB()),
                    intOption(config, "kdf-iterations", d.iterations()),
                    intOption(config, "kdf-parallelism", d.parallelism()));
            return builder.keystore(Path.of(where)).passphrase(passphrase).kdfParameters(kdf).build();
        } catch (IllegalArgumentException e) {
            throw new ValidationException("invalid local provider setting: " + e.getMessage(), e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static int intOption(ProviderConfig config, String name, int fallback) {
        String value = config.option(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ValidationException("option " + name + " must be a number, was '" + value + "'");
        }
    }
}
