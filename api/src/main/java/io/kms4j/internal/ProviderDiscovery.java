package io.kms4j.internal;

import io.kms4j.ValidationException;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.KmsProviderFactory;
import io.kms4j.spi.ProviderConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds a {@link KmsProviderFactory} for a URI scheme with {@link ServiceLoader}. A factory that fails to load
 * is reported and skipped, so one broken jar does not hide the others.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class ProviderDiscovery {
    private static final System.Logger LOG = System.getLogger(ProviderDiscovery.class.getName());

    private ProviderDiscovery() {
    }

    /**
     * Opens the provider for {@code config.uri()}'s scheme.
     *
     * @throws ValidationException when the URI has no scheme or no factory serves it
     */
    public static KmsProvider open(ProviderConfig config, ClassLoader loader) {
        String scheme = config.uri().getScheme();
        if (scheme == null) {
            throw new ValidationException("provider URI has no scheme: " + config.uri()
                    + " (expected for example local:, pkcs11: or aws-kms:)");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        List<String> available = new ArrayList<>();
        Iterator<KmsProviderFactory> it = ServiceLoader.load(KmsProviderFactory.class, loader).iterator();
        while (true) {
            KmsProviderFactory factory;
            try {
                if (!it.hasNext()) {
                    break;
                }
                factory = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "skipping a kms4j provider that failed to load", e);
                continue;
            }
            available.add(factory.scheme());
            if (factory.scheme().equalsIgnoreCase(scheme)) {
                return factory.create(config);
            }
        }
        throw new ValidationException("no kms4j provider for scheme '" + scheme + "' on the class path (found: "
                + (available.isEmpty() ? "none" : String.join(", ", available)) + "); add kms4j-provider-" + scheme);
    }
}
