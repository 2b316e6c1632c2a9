package io.kms4j.spi;

/**
 * Makes providers for one URI scheme; registered in {@code META-INF/services/io.kms4j.spi.KmsProviderFactory}
 * and found by {@link java.util.ServiceLoader} when an application opens a provider by URI.
 *
 * <p>Explicit construction always works too and is preferred in production code: discovery depends on what
 * happens to be on the class path. Implementations must be stateless and thread-safe.
 */
public interface KmsProviderFactory {

    /** The URI scheme this factory serves, lower case, without the colon (for example {@code "local"}). */
    String scheme();

    /**
     * Makes a provider.
     *
     * @param config the provider URI, its options and the clock
     * @throws io.kms4j.KmsException (typed) when the configuration is invalid or the backend cannot be opened
     */
    KmsProvider create(ProviderConfig config);
}
