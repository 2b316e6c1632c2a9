package io.kms4j;

/**
 * The error codes kms4j reports, named exactly as AWS KMS names them so that code written against either
 * sees the same strings, and so the AWS-compatible server can put them on the wire unchanged.
 *
 * <p>{@link #retryable()} says whether repeating the same call later can succeed without any change to the
 * request or to the key: true for throttling, timeouts and unavailable backends, false for everything the
 * caller or the key's state must fix first. An invalid ciphertext is never retryable.
 *
 * <p>Thread safety: immutable enum constants.
 */
public enum KmsErrorCode {
    /** The key, alias or other resource named in the request does not exist. */
    NOT_FOUND("NotFoundException", false, 400),
    /** The key exists but is disabled. */
    DISABLED("DisabledException", false, 400),
    /** The key's state does not allow the operation (for example it is pending deletion). */
    INVALID_STATE("KMSInvalidStateException", false, 400),
    /** The ciphertext is malformed, truncated, altered, or does not match the encryption context. */
    INVALID_CIPHERTEXT("InvalidCiphertextException", false, 400),
    /** The ciphertext was made under a different key than the one the caller said to expect. */
    INCORRECT_KEY("IncorrectKeyException", false, 400),
    /** A request parameter is missing, malformed, or out of range. */
    VALIDATION("ValidationException", false, 400),
    /** The caller or the provider's credentials are not allowed to do this (including a wrong PIN). */
    ACCESS_DENIED("AccessDeniedException", false, 400),
    /** The backend is rate-limiting calls. */
    THROTTLING("ThrottlingException", true, 400),
    /** A quota was exceeded (for example too many requests at once). */
    LIMIT_EXCEEDED("LimitExceededException", true, 400),
    /** The backend or one of its dependencies did not answer in time. */
    DEPENDENCY_TIMEOUT("DependencyTimeoutException", true, 500),
    /** The key's backend (HSM, token, remote service) cannot be reached right now. */
    KEY_UNAVAILABLE("KeyUnavailableException", true, 500),
    /** An internal failure of the provider, including an audit sink that could not record. */
    INTERNAL("KMSInternalException", true, 500),
    /** A resource with that name already exists (for example an alias). */
    ALREADY_EXISTS("AlreadyExistsException", false, 400),
    /** The key's usage does not allow the operation (for example Encrypt with a signing key). */
    INVALID_KEY_USAGE("InvalidKeyUsageException", false, 400),
    /** A pagination marker was not issued by this provider for this listing. */
    INVALID_MARKER("InvalidMarkerException", false, 400),
    /** An alias name is malformed or uses the reserved {@code alias/aws/} prefix. */
    INVALID_ALIAS_NAME("InvalidAliasNameException", false, 400),
    /** The provider cannot perform this operation at all (a capability it truly lacks). */
    UNSUPPORTED_OPERATION("UnsupportedOperationException", false, 400),
    /** Verify found that the signature does not match the message, key and algorithm. */
    INVALID_SIGNATURE("KMSInvalidSignatureException", false, 400);

    private final String awsCode;
    private final boolean retryable;
    private final int httpStatus;

    KmsErrorCode(String awsCode, boolean retryable, int httpStatus) {
        this.awsCode = awsCode;
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    /** The AWS KMS error code string, for example {@code "NotFoundException"}. */
    public String awsCode() {
        return awsCode;
    }

    /** Whether the same call may succeed when repeated later, unchanged. */
    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status AWS KMS answers with for this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Finds the code for an AWS error code string.
     *
     * @return the matching code, or {@link #INTERNAL} when the string is not a code kms4j knows
     */
    public static KmsErrorCode fromAwsCode(String awsCode) {
        if (awsCode != null) {
            for (KmsErrorCode code : values()) {
                if (code.awsCode.equals(awsCode)) {
                    return code;
                }
            }
        }
        return INTERNAL;
    }
}
