package io.kms4j.audit;

import java.nio.file.Path;

/** A second process for the multi-process audit test: appends N events to a log, then exits. */
public final class AuditAppendMain {
    private AuditAppendMain() {
    }

    public static void main(String[] args) {
        Path log = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        try (JsonLinesAuditSink sink = JsonLinesAuditSink.open(log)) {
            for (int i = 0; i < count; i++) {
                sink.record(AuditEvents.encrypt(i));
            }
        }
    }
}
