package io.kms4j.cli;

import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.local.KdfParameters;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.spi.ProviderConfig;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the kms4j backend a command works on: the provider named by a URI (the local keystore under the kms4j
 * home by default), auditing to the JSON Lines log in the kms4j home.
 *
 * <p>The kms4j home is {@code $KMS4J_HOME}, else {@code ~/.kms4j}; it is created owner-only when missing. The
 * local keystore's passphrase comes from {@code KMS4J_PASSPHRASE}, a prompt on the terminal, or the
 * {@code passphrase-env} / {@code passphrase-file} option, never from the command line.
 *
 * <p>Thread safety: stateless.
 */
final class BackendOpener {
    /** The environment variable naming the kms4j home. */
    static final String HOME_VARIABLE = "KMS4J_HOME";
    /** The environment variable naming the default backend URI. */
    static final String BACKEND_VARIABLE = "KMS4J_BACKEND";
    /** The environment variable holding the local keystore passphrase. */
    static final String PASSPHRASE_VARIABLE = "KMS4J_PASSPHRASE";

    private BackendOpener() {
    }

    /** The kms4j home directory ({@code $KMS4J_HOME} or {@code ~/.kms4j}), created owner-only if missing. */
    static Path home() {
        String configured = System.getenv(HOME_VARIABLE);
        Path home = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".kms4j");
        if (!Files.isDirectory(home)) {
            try {
                Files.createDirectories(home);
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory exists with the platform's defaults
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the kms4j home " + home, e);
            }
        }
        return home;
    }

    /** The default backend: {@code $KMS4J_BACKEND}, else the local provider's keystore in the kms4j home. */
    static String defaultBackendUri() {
        String fromEnv = System.getenv(BACKEND_VARIABLE);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv
                : "local:" + home().resolve("keystore.k4j").toAbsolutePath();
    }

    /** The default audit log: {@code audit.jsonl} in the kms4j home. */
    static Path defaultAuditLog() {
        return home().resolve("audit.jsonl");
    }

    /**
     * Opens a backend.
     *
     * @param uri the provider URI, or null for {@link #defaultBackendUri()}
     * @param options provider options (secrets only by {@code NAME-env} / {@code NAME-file})
     * @param auditLog the JSON Lines audit log, or null for {@link #defaultAuditLog()}
     * @param syncEachAuditRecord whether each audit record is fsynced before the call returns (see
     *     {@link JsonLinesAuditSink.Builder#syncEachRecord})
     * @throws io.kms4j.KmsException (typed) when the provider cannot be opened
     */
    static Kms open(String uri, Map<String, String> options, Path auditLog, boolean syncEachAuditRecord) {
        Path log = auditLog != null ? auditLog : defaultAuditLog();
        AuditSink sink = JsonLinesAuditSink.builder(log).syncEachRecord(syncEachAuditRecord).build();
        try {
            String backend = uri != null ? uri : defaultBackendUri();
            Kms.Builder b = Kms.builder().auditSink(sink);
            if (isLocalKeystore(backend) && !options.containsKey("passphrase-env")
                    && !options.containsKey("passphrase-file")) {
                // The local keystore's passphrase may come from a prompt, which no provider option can express.
                return b.provider(openLocalKeystore(backend, options)).build();
            }
            b.providerUri(backend);
            options.forEach(b::option);
            return b.build();
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    private static boolean isLocalKeystore(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("local:") && !lower.startsWith("local:memory");
    }

    /** The local keystore, with the passphrase from {@code KMS4J_PASSPHRASE} or the terminal. */
    private static LocalKmsProvider openLocalKeystore(String uri, Map<String, String> options) {
        ProviderConfig config = ProviderConfig.of(URI.create(uri), options);
        Path keystore = Path.of(config.location().replaceFirst("^~/", System.getProperty("user.home") + "/"));
        char[] passphrase = passphrase(keystore);
        try {
            LocalKmsProvider.Builder b = LocalKmsProvider.builder().keystore(keystore).passphrase(passphrase)
                    .allowInProduction(Boolean.parseBoolean(config.option("allow-in-production").orElse("false")));
            KdfParameters d = KdfParameters.DEFAULT;
            b.kdfParameters(new KdfParameters(
                    Integer.parseInt(config.option("kdf-memory-kib").orElse("" + d.memoryKiB())),
                    Integer.parseInt(config.option("kdf-iterations").orElse("" + d.iterations())),
                    Integer.parseInt(config.option("kdf-parallelism").orElse("" + d.parallelism()))));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.VALIDATION, "invalid keystore options in " + uri + ": " + e.getMessage());
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static char[] passphrase(Path keystore) {
        String fromEnv = System.getenv(PASSPHRASE_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.ACCESS_DENIED, "the local keystore " + keystore
                    + " needs a passphrase: set " + PASSPHRASE_VARIABLE + " (no terminal to prompt on)");
        }
        boolean creating = !Files.exists(keystore);
        char[] first = console.readPassword(creating ? "New keystore passphrase for %s: " : "Passphrase for %s: ",
                keystore);
        if (first == null || first.length == 0) {
            throw new CliException(ExitCodes.ACCESS_DENIED, "no passphrase given");
        }
        if (creating) {
            char[] again = console.readPassword("Repeat the passphrase: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCodes.ACCESS_DENIED, "the passphrases differ");
            }
        }
        return first;
    }
}
