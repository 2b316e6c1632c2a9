package io.kms4j.cli;

import io.kms4j.Kms;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.spi.ProviderConfig;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Options every KMS subcommand takes, shaped like the AWS CLI's: the backend, output format and query.
 *
 * <p>The default backend is the embedded local provider with its keystore at {@code $KMS4J_HOME/keystore.k4j}
 * ({@code KMS4J_HOME} defaults to {@code ~/.kms4j}); its passphrase comes from {@code KMS4J_PASSPHRASE} or a
 * prompt on the terminal. Every call is audited to {@code $KMS4J_HOME/audit.jsonl}, whatever the backend.
 */
final class GlobalOptions {
    /** The variable naming kms4j's home directory. */
    static final String HOME_VARIABLE = "KMS4J_HOME";
    /** The variable holding the local keystore passphrase. */
    static final String PASSPHRASE_VARIABLE = "KMS4J_PASSPHRASE";

    @Option(names = "--backend", paramLabel = "URI",
            description = "The kms4j backend: local:PATH (default: the keystore in $KMS4J_HOME), local:memory, "
                    + "pkcs11:token=LABEL?module-path=..., aws-kms:REGION. Also from KMS4J_BACKEND.")
    String backend;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint for the aws-kms backend, as in the AWS CLI.")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "Region for the aws-kms backend, as in the AWS CLI.")
    String region;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: json (default) or text, as in the AWS CLI.")
    String output;

    @Option(names = "--query", paramLabel = "EXPRESSION",
            description = "Select part of the output, a JMESPath subset: Name, A.B, List[0], List[*].Name.")
    String query;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    /** kms4j's home directory (created 0700 when missing). */
    static Path home() {
        String configured = System.getenv(HOME_VARIABLE);
        Path home = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".kms4j");
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home);
                try {
                    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + home, e);
        }
        return home;
    }

    /** The audit log every CLI call appends to. */
    static Path auditLog() {
        return home().resolve("audit.jsonl");
    }

    /** The backend URI in effect. */
    String backendUri() {
        if (backend != null) {
            return backend;
        }
        String fromEnv = System.getenv("KMS4J_BACKEND");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : "local:" + home().resolve("keystore.k4j");
    }

    /** Opens the backend, auditing to {@link #auditLog()}. */
    Kms openKms() {
        String uri = backendUri();
        Kms.Builder builder = Kms.builder().auditSink(JsonLinesAuditSink.open(auditLog()));
        if (uri.toLowerCase(Locale.ROOT).startsWith("local:") && !uri.startsWith("local:memory")) {
            return builder.provider(openLocal(uri)).build();
        }
        builder.providerUri(uri);
        if (endpointUrl != null) {
            builder.option("endpoint-url", endpointUrl);
        }
        if (region != null) {
            builder.option("region", region);
        }
        return builder.build();
    }

    /** The local keystore, with the passphrase from KMS4J_PASSPHRASE or the terminal. */
    private static LocalKmsProvider openLocal(String uri) {
        ProviderConfig config = ProviderConfig.of(URI.create(uri), java.util.Map.of());
        Path keystore = Path.of(config.location().replaceFirst("^~/", System.getProperty("user.home") + "/"));
        char[] passphrase = passphrase(keystore);
        try {
            LocalKmsProvider.Builder b = LocalKmsProvider.builder().keystore(keystore).passphrase(passphrase);
            config.option("kdf-memory-kib").ifPresent(m -> b.kdfParameters(new io.kms4j.local.KdfParameters(
                    Integer.parseInt(m), Integer.parseInt(config.option("kdf-iterations").orElse("3")),
                    Integer.parseInt(config.option("kdf-parallelism").orElse("1")))));
            return b.build();
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.VALIDATION, "kdf options in " + uri + " must be numbers");
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
