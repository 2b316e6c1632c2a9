package io.kms4j.cli;

import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditLogVerifier;
import io.kms4j.audit.AuditResource;
import io.kms4j.audit.JsonLinesAuditSink;
import io.kms4j.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kms4j audit}: list the audit trail with filters ({@code --output json} gives CloudTrail's
 * {@code {"Records": [...]}} for {@code jq '.Records[]'}), {@code audit verify} checks the hash chain and names
 * the first broken record, {@code audit export} writes a CloudTrail-style file.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "List the audit trail (filter by key, event name, time); verify or export it.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Filter filter;

    @Option(names = "--output", defaultValue = "text", description = "text (default: one line per event) or json.")
    String output;

    @Option(names = "--query", description = "Select part of the JSON output (JMESPath subset).")
    String query;

    /** Which log, and which of its events. */
    static final class Filter {
        @Option(names = "--log", paramLabel = "PATH", description = "The audit log (default: $KMS4J_HOME/audit.jsonl).")
        Path log;

        @Option(names = "--key-id", description = "Only events about this key (as given, or its full identifier).")
        String keyId;

        @Option(names = "--event-name", description = "Only this operation, for example Decrypt.")
        String eventName;

        @Option(names = "--start-time", paramLabel = "ISO-8601", description = "Only events at or after this time.")
        String startTime;

        @Option(names = "--end-time", paramLabel = "ISO-8601", description = "Only events before this time.")
        String endTime;

        Path log() {
            return log != null ? log : BackendOpener.defaultAuditLog();
        }

        List<AuditEvent> events() throws IOException {
            Instant start = time("--start-time", startTime);
            Instant end = time("--end-time", endTime);
            List<AuditEvent> out = new ArrayList<>();
            for (AuditEvent e : JsonLinesAuditSink.readEvents(log())) {
                if (eventName != null && !eventName.equals(e.eventName())) {
                    continue;
                }
                if (start != null && e.eventTime().isBefore(start) || end != null && !e.eventTime().isBefore(end)) {
                    continue;
                }
                if (keyId != null && !mentions(e, keyId)) {
                    continue;
                }
                out.add(e);
            }
            return out;
        }

        private static boolean mentions(AuditEvent e, String keyId) {
            for (AuditResource r : e.resources()) {
                if (r.arn().equals(keyId) || r.arn().endsWith("/" + keyId) || r.arn().endsWith("=" + keyId)) {
                    return true;
                }
            }
            Map<String, Object> p = e.requestParameters();
            return p != null && (keyId.equals(p.get("keyId")) || keyId.equals(p.get("targetKeyId")));
        }

        private static Instant time(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                try {
                    return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new CliException(ExitCodes.USAGE, option + " must be ISO-8601, e.g. 2026-11-28T13:00:00Z");
                }
            }
        }
    }

    static Map<String, Object> records(List<AuditEvent> events) {
        List<Object> records = new ArrayList<>();
        for (AuditEvent e : events) {
            records.add(e.toJsonMap());
        }
        return Map.of("Records", records);
    }

    @Override
    public Integer call() throws IOException {
        List<AuditEvent> events = filter.events();
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equals(output) || query != null) {
            Output.print(out, records(events), query, "json".equals(output) ? "json" : output);
        } else if ("text".equals(output)) {
            for (AuditEvent e : events) {
                String key = e.resources().isEmpty() ? "-" : e.resources().get(0).arn();
                out.printf("%s  %-32s %-14s %s%s%n", e.eventTime(), e.eventName(), e.sourceIpAddress(), key,
                        e.failed() ? "  " + e.errorCode() : "");
            }
            out.flush();
        } else {
            throw new CliException(ExitCodes.USAGE, "unknown --output '" + output + "' (json or text)");
        }
        return ExitCodes.OK;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the audit log's hash chain; names the first broken record. Exit 10 when broken.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--log", paramLabel = "PATH", description = "The audit log (default: $KMS4J_HOME/audit.jsonl).")
        Path log;

        @Override
        public Integer call() throws IOException {
            AuditLogVerifier.Result result = AuditLogVerifier.verify(log != null ? log : BackendOpener.defaultAuditLog());
            if (result.valid()) {
                spec.commandLine().getOut().println(result);
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            spec.commandLine().getErr().println("kms4j: " + result);
            return ExitCodes.AUDIT_INVALID;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the (filtered) trail as a CloudTrail-style {\"Records\": [...]} JSON file.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Filter filter;

        @Option(names = "--file", required = true, paramLabel = "PATH", description = "The file to write (atomically).")
        Path file;

        @Override
        public Integer call() throws IOException {
            List<AuditEvent> events = filter.events();
            AtomicFiles.write(file.toAbsolutePath(),
                    (Output.pretty(records(events)) + "\n").getBytes(StandardCharsets.UTF_8));
            spec.commandLine().getOut().println("exported " + events.size() + " records to " + file);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
