package io.kms4j.audit;

import io.kms4j.internal.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One audit record, shaped like a CloudTrail record so that tools and habits (for example
 * {@code jq '.Records[] | select(.eventName=="Decrypt")'}) carry over. The schema is in {@code docs/AUDIT.md}.
 *
 * <h2>Security guarantees</h2>
 * Events never carry plaintext, key material, data keys, ciphertext blobs, passphrases or PINs. They carry the
 * encryption context, which by contract is not secret (CloudTrail logs it too).
 *
 * <p>Thread safety: immutable.
 */
public final class AuditEvent {
    /** The CloudTrail record version this schema follows. */
    public static final String EVENT_VERSION = "1.08";

    private final Instant eventTime;
    private final String eventSource;
    private final String eventName;
    private final String requestId;
    private final String eventId;
    private final CallerIdentity userIdentity;
    private final String sourceIpAddress;
    private final String userAgent;
    private final Map<String, Object> requestParameters;
    private final Map<String, Object> responseElements;
    private final List<AuditResource> resources;
    private final String errorCode;
    private final String errorMessage;
    private final boolean readOnly;

    private AuditEvent(Builder b) {
        this.eventTime = Objects.requireNonNull(b.eventTime, "eventTime");
        this.eventSource = Objects.requireNonNull(b.eventSource, "eventSource");
        this.eventName = Objects.requireNonNull(b.eventName, "eventName");
        this.requestId = Objects.requireNonNull(b.requestId, "requestId");
        this.eventId = Objects.requireNonNull(b.eventId, "eventId");
        this.userIdentity = Objects.requireNonNull(b.userIdentity, "userIdentity");
        this.sourceIpAddress = Objects.requireNonNull(b.sourceIpAddress, "sourceIpAddress");
        this.userAgent = Objects.requireNonNull(b.userAgent, "userAgent");
        this.requestParameters = b.requestParameters == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.requestParameters));
        this.responseElements = b.responseElements == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.responseElements));
        this.resources = List.copyOf(b.resources);
        this.errorCode = b.errorCode;
        this.errorMessage = b.errorMessage;
        this.readOnly = b.readOnly;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** When the call completed, in UTC. */
    public Instant eventTime() {
        return eventTime;
    }

    /** The provider that served the call, for example {@code "kms4j-local"} or {@code "kms.amazonaws.com"}. */
    public String eventSource() {
        return eventSource;
    }

    /** The operation, named as in AWS KMS, for example {@code "Encrypt"}. */
    public String eventName() {
        return eventName;
    }

    /** A unique id of the request. */
    public String requestId() {
        return requestId;
    }

    /** A unique id of this event. */
    public String eventId() {
        return eventId;
    }

    /** Who called. */
    public CallerIdentity userIdentity() {
        return userIdentity;
    }

    /** The caller's address, or {@code "in-process"}. */
    public String sourceIpAddress() {
        return sourceIpAddress;
    }

    /** The caller's user agent. */
    public String userAgent() {
        return userAgent;
    }

    /** The non-secret request parameters (key id, encryption context, key spec, …), or null when none. */
    public Map<String, Object> requestParameters() {
        return requestParameters;
    }

    /** Non-secret response elements (for example a created key's id), or null. */
    public Map<String, Object> responseElements() {
        return responseElements;
    }

    /** The keys the call touched. */
    public List<AuditResource> resources() {
        return resources;
    }

    /** The AWS error code when the call failed, else null. */
    public String errorCode() {
        return errorCode;
    }

    /** The error message when the call failed, else null. It names keys, never secrets. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Whether the call failed. */
    public boolean failed() {
        return errorCode != null;
    }

    /** Whether the operation changes no state (as CloudTrail's {@code readOnly}). */
    public boolean readOnly() {
        return readOnly;
    }

    /** The event as an ordered map with CloudTrail's field names. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventVersion", EVENT_VERSION);
        m.put("userIdentity", userIdentity.toJsonMap());
        m.put("eventTime", eventTime.toString());
        m.put("eventSource", eventSource);
        m.put("eventName", eventName);
        m.put("sourceIPAddress", sourceIpAddress);
        m.put("userAgent", userAgent);
        if (errorCode != null) {
            m.put("errorCode", errorCode);
            m.put("errorMessage", errorMessage);
        }
        m.put("requestParameters", requestParameters);
        m.put("responseElements", responseElements);
        m.put("requestID", requestId);
        m.put("eventID", eventId);
        m.put("readOnly", readOnly);
        List<Object> res = new ArrayList<>();
        for (AuditResource r : resources) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("ARN", r.arn());
            rm.put("type", r.type());
            res.add(rm);
        }
        m.put("resources", res);
        m.put("eventType", "AwsApiCall");
        m.put("managementEvent", true);
        m.put("eventCategory", "Management");
        return m;
    }

    /** The event as one line of compact JSON. */
    public String toJson() {
        return Json.write(toJsonMap());
    }

    /**
     * Reads an event from its JSON map, ignoring fields it does not know (such as a file sink's chain fields).
     *
     * @throws IllegalArgumentException when a required field is missing or has the wrong type
     */
    @SuppressWarnings("unchecked")
    public static AuditEvent fromJsonMap(Map<String, Object> m) {
        try {
            Map<String, Object> id = (Map<String, Object>) m.get("userIdentity");
            Builder b = builder()
                    .eventTime(Instant.parse((String) m.get("eventTime")))
                    .eventSource((String) m.get("eventSource"))
                    .eventName((String) m.get("eventName"))
                    .requestId((String) m.get("requestID"))
                    .eventId((String) m.get("eventID"))
                    .caller(new CallerContext(
                            new CallerIdentity((String) id.get("type"), (String) id.get("principalId"),
                                    (String) id.get("accessKeyId")),
                            (String) m.get("sourceIPAddress"), (String) m.get("userAgent")))
                    .requestParameters((Map<String, Object>) m.get("requestParameters"))
                    .responseElements((Map<String, Object>) m.get("responseElements"))
                    .readOnly(Boolean.TRUE.equals(m.get("readOnly")));
            if (m.get("errorCode") != null) {
                b.error((String) m.get("errorCode"), (String) m.get("errorMessage"));
            }
            for (Object r : (List<Object>) m.get("resources")) {
                Map<String, Object> rm = (Map<String, Object>) r;
                b.resource(new AuditResource((String) rm.get("ARN"), (String) rm.get("type")));
            }
            return b.build();
        } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an audit event record: " + e.getMessage(), e);
        }
    }

    /** Same as {@link #toJson()}. */
    @Override
    public String toString() {
        return toJson();
    }

    /** Builds an {@link AuditEvent}. Thread safety: not thread-safe; confine a builder to one thread. */
    public static final class Builder {
        private Instant eventTime;
        private String eventSource;
        private String eventName;
        private String requestId;
        private String eventId;
        private CallerIdentity userIdentity;
        private String sourceIpAddress;
        private String userAgent;
        private Map<String, Object> requestParameters;
        private Map<String, Object> responseElements;
        private final List<AuditResource> resources = new ArrayList<>();
        private String errorCode;
        private String errorMessage;
        private boolean readOnly;

        private Builder() {
        }

        /** When the call completed. */
        public Builder eventTime(Instant eventTime) {
            this.eventTime = eventTime;
            return this;
        }

        /** The serving provider's event source. */
        public Builder eventSource(String eventSource) {
            this.eventSource = eventSource;
            return this;
        }

        /** The operation name. */
        public Builder eventName(String eventName) {
            this.eventName = eventName;
            return this;
        }

        /** The request id. */
        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** The event id. */
        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        /** Identity, source address and user agent, all at once. */
        public Builder caller(CallerContext caller) {
            this.userIdentity = caller.identity();
            this.sourceIpAddress = caller.sourceIpAddress();
            this.userAgent = caller.userAgent();
            return this;
        }

        /** The non-secret request parameters; copied. */
        public Builder requestParameters(Map<String, Object> requestParameters) {
            this.requestParameters = requestParameters;
            return this;
        }

        /** The non-secret response elements; copied. */
        public Builder responseElements(Map<String, Object> responseElements) {
            this.responseElements = responseElements;
            return this;
        }

        /** Adds a touched key. */
        public Builder resource(AuditResource resource) {
            this.resources.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        /** Marks the call failed with an AWS error code and a secret-free message. */
        public Builder error(String errorCode, String errorMessage) {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        /** Whether the operation changes no state. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Makes the event.
         *
         * @throws NullPointerException when a required field is missing
         */
        public AuditEvent build() {
            return new AuditEvent(this);
        }
    }
}
