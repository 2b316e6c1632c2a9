package io.kms4j.aws;

import io.kms4j.ValidationException;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.KmsProviderFactory;
import io.kms4j.spi.ProviderConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;

/**
 * Opens {@link AwsKmsProvider}s by URI: {@code aws-kms:<region>} (for example {@code aws-kms:eu-west-1}), or
 * {@code aws-kms:default} to take the region from the SDK's chain ({@code AWS_REGION}, the profile, instance
 * metadata).
 *
 * <p>Options, all optional; without them every setting is the SDK's default:
 * <ul>
 *   <li>{@code region}: the region, instead of putting it in the URI;
 *   <li>{@code endpoint-url}: another endpoint, for example a kms4j server ({@code http://127.0.0.1:4599});
 *   <li>{@code profile}: read credentials from this profile of the shared AWS files;
 *   <li>{@code access-key-id} with {@code secret-access-key-env} or {@code secret-access-key-file} (and
 *       optionally {@code session-token-env} or {@code session-token-file}): fixed credentials, the secret read
 *       from an environment variable or a file, never from the option itself;
 *   <li>{@code connection-timeout-ms}, {@code socket-timeout-ms}, {@code api-call-timeout-ms},
 *       {@code api-call-attempt-timeout-ms}: time-outs in milliseconds;
 *   <li>{@code retry-mode} ({@code legacy}, {@code standard}, {@code adaptive}) and {@code max-attempts}.
 * </ul>
 * Without {@code profile} or {@code access-key-id}, credentials come from the SDK's standard chain.
 *
 * <p>Thread safety: stateless.
 */
public final class AwsKmsProviderFactory implements KmsProviderFactory {
    /** The URI's scheme-specific part that means "the region from the environment". */
    public static final String DEFAULT_REGION = "default";

    private static final Set<String> OPTIONS = Set.of("region", "endpoint-url", "profile", "access-key-id",
            "secret-access-key-env", "secret-access-key-file", "session-token-env", "session-token-file",
            "connection-timeout-ms", "socket-timeout-ms", "api-call-timeout-ms", "api-call-attempt-timeout-ms",
            "retry-mode", "max-attempts");

    @Override
    public String scheme() {
        return AwsKmsProvider.SCHEME;
    }

    /**
     * @throws ValidationException when the URI, an option or a referenced secret is invalid, or an option is
     *     unknown (a misspelt option would otherwise be silently ignored)
     */
    @Override
    public KmsProvider create(ProviderConfig config) {
        for (String name : config.options().keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new ValidationException("unknown aws-kms option '" + name + "' (known: "
                        + String.join(", ", OPTIONS.stream().sorted().toList()) + ")");
            }
        }
        AwsKmsProvider.Builder b = AwsKmsProvider.builder();
        regionOf(config).ifPresent(b::region);
        config.option("endpoint-url").ifPresent(url -> b.endpointOverride(endpoint(url)));
        config.option("profile").ifPresent(b::profile);
        credentials(config).ifPresent(c -> b.credentialsProvider(StaticCredentialsProvider.create(c)));
        millis(config, "connection-timeout-ms").ifPresent(b::connectionTimeout);
        millis(config, "socket-timeout-ms").ifPresent(b::socketTimeout);
        millis(config, "api-call-timeout-ms").ifPresent(b::apiCallTimeout);
        millis(config, "api-call-attempt-timeout-ms").ifPresent(b::apiCallAttemptTimeout);
        config.option("retry-mode").ifPresent(mode -> b.retryMode(retryMode(mode)));
        config.option("max-attempts").ifPresent(n -> b.maxAttempts(integer("max-attempts", n)));
        return b.build();
    }

    private static Optional<String> regionOf(ProviderConfig config) {
        String fromUri = config.uri().getSchemeSpecificPart();
        if (fromUri == null || fromUri.isEmpty() || fromUri.equals(DEFAULT_REGION)) {
            fromUri = null;
        } else if (!fromUri.matches("[a-z0-9-]{1,64}")) {
            throw new ValidationException("aws-kms URIs are aws-kms:<region> or aws-kms:default, not "
                    + config.uri());
        }
        String fromOption = config.option("region").orElse(null);
        if (fromUri != null && fromOption != null && !fromUri.equals(fromOption)) {
            throw new ValidationException("the region is given twice and differs: " + fromUri + " in the URI, "
                    + fromOption + " in the options");
        }
        return Optional.ofNullable(fromUri != null ? fromUri : fromOption);
    }

    private static URI endpoint(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ValidationException("endpoint-url must be an http or https URL, was '" + url + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ValidationException("endpoint-url is not a URL: '" + url + "'", e);
        }
    }

    private static Optional<AwsCredentials> credentials(ProviderConfig config) {
        Optional<String> accessKeyId = config.option("access-key-id");
        Optional<char[]> secret = config.readSecret("secret-access-key");
        if (accessKeyId.isEmpty() != secret.isEmpty()) {
            secret.ifPresent(s -> Arrays.fill(s, '\0'));
            throw new ValidationException("give access-key-id together with secret-access-key-env or "
                    + "secret-access-key-file, or neither (to use the standard credentials chain)");
        }
        if (accessKeyId.isEmpty()) {
            return Optional.empty();
        }
        char[] secretChars = secret.get();
        Optional<char[]> token = config.readSecret("session-token");
        try {
            // The SDK holds credentials as Strings; the char arrays read here are wiped at least.
            String secretText = new String(secretChars);
            if (token.isPresent()) {
                return Optional.of(AwsSessionCredentials.create(accessKeyId.get(), secretText,
                        new String(token.get())));
            }
            return Optional.of(AwsBasicCredentials.create(accessKeyId.get(), secretText));
        } finally {
            Arrays.fill(secretChars, '\0');
            token.ifPresent(t -> Arrays.fill(t, '\0'));
        }
    }

    private static Optional<Duration> millis(ProviderConfig config, String name) {
        return config.option(name).map(v -> Duration.ofMillis(integer(name, v)));
    }

    private static int integer(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new ValidationException("option " + name + " must be positive, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException("option " + name + " must be a whole number, was '" + value + "'");
        }
    }

    private static RetryMode retryMode(String mode) {
        switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "legacy":
                return RetryMode.LEGACY;
            case "standard":
                return RetryMode.STANDARD;
            case "adaptive":
                return RetryMode.ADAPTIVE_V2;
            default:
                throw new ValidationException("retry-mode must be legacy, standard or adaptive, was '" + mode + "'");
        }
    }
}
