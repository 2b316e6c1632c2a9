package io.kms4j.server.internal;

import io.kms4j.KmsException;

/**
 * An error answered on the wire in AWS's shape ({@code {"__type": …, "message": …}} with an HTTP status) for
 * a request refused before it became a kms4j call: it could not be read, authenticated or routed. Errors of
 * kms4j calls are {@link KmsException}s and carry their own code and status.
 *
 * <p>It is control flow, so it records no stack trace. Messages never quote secrets or request bodies.
 *
 * <p>Not API. Thread safety: immutable.
 */
public final class WireError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    /**
     * @param status the HTTP status
     * @param type the AWS error code, sent as {@code __type}
     * @param message the message, sent as {@code message}
     */
    public WireError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The AWS error code. */
    public String type() {
        return type;
    }

    /** The body could not be read as the operation's input: malformed JSON, a wrong type, bad base64. */
    public static WireError serialization(String message) {
        return new WireError(400, "SerializationException", message);
    }

    /** A member is missing or outside AWS's constraints for it. */
    public static WireError validation(String message) {
        return new WireError(400, "ValidationException", message);
    }

    /** The {@code X-Amz-Target} names no KMS operation. */
    public static WireError unknownOperation(String message) {
        return new WireError(400, "UnknownOperationException", message);
    }

    /** A KMS operation that kms4j does not implement, or a parameter it cannot honour. */
    public static WireError unsupported(String message) {
        return new WireError(400, "UnsupportedOperationException", message);
    }

    /** The body is larger than the server accepts. */
    public static WireError tooLarge(long limit) {
        return new WireError(413, "RequestEntityTooLargeException",
                "The request body is larger than the " + limit + " bytes this server accepts.");
    }
}
