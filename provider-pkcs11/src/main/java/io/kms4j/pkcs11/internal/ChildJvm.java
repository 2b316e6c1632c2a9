package io.kms4j.pkcs11.internal;

import io.kms4j.KeyUnavailableException;
import io.kms4j.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of this module's JDK-only helper classes ({@link TokenSlotLister}, {@link TokenObjectRemover}) in a
 * short child JVM of the same Java installation, with {@code sun.security.pkcs11.wrapper} exported to it: the
 * way to reach PKCS#11 calls SunPKCS11 does not offer when this JVM was started without that flag. The child
 * inherits the environment (for example {@code SOFTHSM2_CONF}) and is never given a PIN.
 *
 * <p>Not API. Thread safety: stateless.
 */
final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 60;

    private ChildJvm() {
    }

    /**
     * Runs {@code mainClass} with {@code args} and returns its standard output.
     *
     * @param what what the child does, for messages
     * @throws KeyUnavailableException when the child cannot start, times out or exits with an error
     */
    static String run(Class<?> mainClass, String what, List<String> args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "--add-exports", TokenSlotLister.CRYPTOKI_MODULE + "/" + TokenSlotLister.WRAPPER_PACKAGE
                        + "=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-Xmx32m",
                "-cp", ownClassPath(), mainClass.getName()));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new KeyUnavailableException("cannot start " + java + " for " + what + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new KeyUnavailableException(what + " took over " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new KeyUnavailableException(what + " failed: " + stderr.get().strip());
            }
            return stdout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new KeyUnavailableException("interrupted while " + what, e);
        } catch (java.util.concurrent.ExecutionException | IOException e) {
            process.destroyForcibly();
            throw new KeyUnavailableException("cannot read the answer of " + what + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The jar or class directory this module was loaded from. */
    private static String ownClassPath() {
        CodeSource source = ChildJvm.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new ValidationException("cannot find the kms4j-provider-pkcs11 jar to start a helper JVM; start "
                    + "this JVM with --add-exports " + TokenSlotLister.CRYPTOKI_MODULE + "/"
                    + TokenSlotLister.WRAPPER_PACKAGE + "=ALL-UNNAMED");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ValidationException("cannot locate the kms4j-provider-pkcs11 jar (" + source.getLocation()
                    + ") to start a helper JVM", e);
        }
    }
}
