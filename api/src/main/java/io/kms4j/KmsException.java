package io.kms4j;

import java.util.Objects;

/**
 * The root of every error kms4j reports. Unchecked, because most callers cannot recover from a key-management
 * failure at the call site and should not be forced to wrap every call.
 *
 * <p>Every kms4j operation throws only this type (or a subclass) for failures of the request, the key or the
 * backend; no exception from a lower layer (JCA, PKCS#11, the AWS SDK, the file system) escapes untyped. The
 * lower-layer exception is kept as the {@linkplain #getCause() cause} for debugging, and messages never
 * contain plaintext, key material or PINs.
 *
 * <p>Thread safety: instances are immutable after construction.
 */
public class KmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final KmsErrorCode errorCode;

    /**
     * Creates an exception with the given code.
     *
     * @param errorCode the AWS-style error code; not null
     * @param message a message that names the key or parameter, never a secret
     * @param cause the lower-layer cause, or null
     */
    public KmsException(KmsErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** Creates an exception with the given code and no cause. */
    public KmsException(KmsErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    /** The error code, with the AWS string, retryability and HTTP status. */
    public KmsErrorCode errorCode() {
        return errorCode;
    }

    /** Shorthand for {@code errorCode().awsCode()}. */
    public String awsErrorCode() {
        return errorCode.awsCode();
    }

    /** Whether repeating the same call later may succeed; see {@link KmsErrorCode#retryable()}. */
    public boolean isRetryable() {
        return errorCode.retryable();
    }

    /**
     * Builds the typed subclass that belongs to a code, for adapters (the AWS provider, the server client)
     * that receive a code string from the wire.
     */
    public static KmsException of(KmsErrorCode code, String message, Throwable cause) {
        switch (code) {
            case NOT_FOUND: return new NotFoundException(message, cause);
            case DISABLED: return new DisabledException(message, cause);
            case INVALID_STATE: return new KmsInvalidStateException(message, cause);
            case INVALID_CIPHERTEXT: return new InvalidCiphertextException(message, cause);
            case INCORRECT_KEY: return new IncorrectKeyException(message, cause);
            case VALIDATION: return new ValidationException(message, cause);
            case ACCESS_DENIED: return new AccessDeniedException(message, cause);
            case THROTTLING: return new ThrottlingException(message, cause);
            case LIMIT_EXCEEDED: return new LimitExceededException(message, cause);
            case DEPENDENCY_TIMEOUT: return new DependencyTimeoutException(message, cause);
            case KEY_UNAVAILABLE: return new KeyUnavailableException(message, cause);
            case INTERNAL: return new KmsInternalException(message, cause);
            case ALREADY_EXISTS: return new AlreadyExistsException(message, cause);
            case INVALID_KEY_USAGE: return new InvalidKeyUsageException(message, cause);
            case INVALID_MARKER: return new InvalidMarkerException(message, cause);
            case INVALID_ALIAS_NAME: return new InvalidAliasNameException(message, cause);
            case UNSUPPORTED_OPERATION: return new UnsupportedKmsOperationException(message, cause);
            case INVALID_SIGNATURE: return new KmsInvalidSignatureException(message, cause);
            default: return new KmsException(code, message, cause);
        }
    }
}
