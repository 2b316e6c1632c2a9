package io.kms4j.cli;

import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.JsonLinesAuditSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Opens the kms4j backend a command works on: the provider named by a URI (the local keystore under the kms4j
 * home by default), auditing to the JSON Lines log in the kms4j home.
 *
 * <p>The kms4j home is {@code $KMS4J_HOME}, else {@code ~/.kms4j}; it is created owner-only when missing. The
 * local keystore's passphrase comes from {@code KMS4J_PASSPHRASE} (or the {@code passphrase-env} /
 * {@code passphrase-file} option), never from the command line.
 *
 * <p>Thread safety: stateless.
 */
final class BackendOpener {
    /** The environment variable naming the kms4j home. */
    static final String HOME_VARIABLE = "KMS4J_HOME";

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

    /** The default backend: the local provider's keystore in the kms4j home. */
    static String defaultBackendUri() {
        return "local:" + home().resolve("keystore.k4j").toAbsolutePath();
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
            Kms.Builder b = Kms.builder().providerUri(uri != null ? uri : defaultBackendUri()).auditSink(sink);
            options.forEach(b::option);
            return b.build();
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }
}
