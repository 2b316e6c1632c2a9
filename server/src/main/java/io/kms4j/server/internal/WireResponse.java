package io.kms4j.server.internal;

import io.kms4j.internal.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A JSON response body in the KMS wire format. Bodies that carry plaintext (Decrypt, GenerateDataKey,
 * GenerateRandom) are assembled as bytes, never as a {@code String}, so the server can overwrite them once
 * they are sent ({@link #wipe()}).
 *
 * <p>Not API. Thread safety: not thread-safe; one instance per response.
 */
public final class WireResponse {
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private final byte[] body;
    private final boolean secret;

    private WireResponse(byte[] body, boolean secret) {
        this.body = body;
        this.secret = secret;
    }

    /** The body {@code {}}, for operations with no output. */
    public static WireResponse empty() {
        return new WireResponse(EMPTY_OBJECT.clone(), false);
    }

    /** A body with no secret member. */
    public static WireResponse of(Map<String, Object> members) {
        return new WireResponse(Json.write(members).getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * A body with the given members and then {@code "Plaintext"}: {@code secret} in base64. The caller keeps
     * and wipes its own {@code secret}; this body is wiped by {@link #wipe()}.
     */
    public static WireResponse withPlaintext(Map<String, Object> members, byte[] secret) {
        byte[] head = Json.write(members).getBytes(StandardCharsets.UTF_8); // ends with '}'
        byte[] encoded = Base64.getEncoder().encode(secret);
        try {
            byte[] name = ((members.isEmpty() ? "" : ",") + "\"Plaintext\":\"").getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[head.length - 1 + name.length + encoded.length + 2];
            int at = 0;
            System.arraycopy(head, 0, body, at, head.length - 1);
            at += head.length - 1;
            System.arraycopy(name, 0, body, at, name.length);
            at += name.length;
            System.arraycopy(encoded, 0, body, at, encoded.length);
            at += encoded.length;
            body[at++] = '"';
            body[at] = '}';
            return new WireResponse(body, true);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** An AWS error body: {@code {"__type": type, "message": message}}. */
    public static WireResponse error(String type, String message) {
        Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put("__type", type);
        if (message != null && !message.isEmpty()) {
            members.put("message", message);
        }
        return of(members);
    }

    /** The body bytes, not copied: the server hands them to the connection and then wipes them. */
    public byte[] body() {
        return body;
    }

    /** Whether the body carries plaintext. */
    public boolean secret() {
        return secret;
    }

    /** Overwrites a body that carries plaintext; no-op for others. */
    public void wipe() {
        if (secret) {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** A timestamp on the wire: epoch seconds as a JSON number, with milliseconds (AWS SDKs refuse strings). */
    public static BigDecimal timestamp(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** A blob on the wire: standard base64 with padding. */
    public static String blob(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
