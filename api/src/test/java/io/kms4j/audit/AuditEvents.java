package io.kms4j.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds realistic audit events for the sink tests. */
final class AuditEvents {
    private AuditEvents() {
    }

    static AuditEvent encrypt(int n) {
        return AuditEvent.builder()
                .eventTime(Instant.parse("2026-11-28T12:00:00Z").plusSeconds(n))
                .eventSource("kms4j-local")
                .eventName("Encrypt")
                .requestId(UUID.randomUUID().toString())
                .eventId(UUID.randomUUID().toString())
                .caller(new CallerContext(CallerIdentity.localUser("alice"), "in-process", "test/1.0"))
                .requestParameters(Map.of("keyId", "alias/orders", "encryptionContext", Map.of("n", "" + n)))
                .resource(AuditResource.key("local:key/1234"))
                .readOnly(true)
                .build();
    }
}
