package io.kms4j.aws.internal;

import io.kms4j.KmsErrorCode;
import io.kms4j.KmsException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns every failure the AWS SDK reports into the typed kms4j error with the same meaning, so that callers
 * of the AWS provider see exactly the exceptions every other provider throws. The table is in
 * {@code docs/AWS.md}; in short:
 *
 * <ul>
 *   <li>KMS's own error codes keep their name ({@code NotFoundException} → {@link io.kms4j.NotFoundException},
 *       {@code KMSInvalidStateException} → {@link io.kms4j.KmsInvalidStateException},
 *       {@code KMSInvalidSignatureException} → {@link io.kms4j.KmsInvalidSignatureException} (never retryable,
 *       whatever the status), …).
 *   <li>Throttling in any spelling, and HTTP 429, → {@link io.kms4j.ThrottlingException} (retryable);
 *       {@code DependencyTimeoutException} and SDK call or attempt time-outs →
 *       {@link io.kms4j.DependencyTimeoutException} (retryable). {@code InvalidCiphertextException} is never
 *       retryable, whatever the status.
 *   <li>Authentication and authorisation failures (bad signature, unknown access key, missing credentials) →
 *       {@link io.kms4j.AccessDeniedException}.
 *   <li>Requests AWS refused as malformed → {@link io.kms4j.ValidationException}.
 *   <li>An endpoint that cannot be reached → {@link io.kms4j.KeyUnavailableException} (retryable); anything
 *       else unrecognised → {@link io.kms4j.KmsInternalException} for 5xx, {@link io.kms4j.ValidationException}
 *       for other 4xx.
 * </ul>
 *
 * <p>Messages keep AWS's own text (which names keys, never key material) and add the operation; the SDK
 * exception stays as the cause.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class AwsErrors {
    /** AWS error codes whose kms4j code has a different name, or which several AWS spellings share. */
    private static final Map<String, KmsErrorCode> ALIASES = Map.ofEntries(
            Map.entry("ThrottlingException", KmsErrorCode.THROTTLING),
            Map.entry("Throttling", KmsErrorCode.THROTTLING),
            Map.entry("ThrottledException", KmsErrorCode.THROTTLING),
            Map.entry("TooManyRequestsException", KmsErrorCode.THROTTLING),
            Map.entry("RequestLimitExceeded", KmsErrorCode.THROTTLING),
            Map.entry("SlowDown", KmsErrorCode.THROTTLING),
            Map.entry("RequestTimeout", KmsErrorCode.DEPENDENCY_TIMEOUT),
            Map.entry("RequestTimeoutException", KmsErrorCode.DEPENDENCY_TIMEOUT),
            Map.entry("ServiceUnavailable", KmsErrorCode.KEY_UNAVAILABLE),
            Map.entry("ServiceUnavailableException", KmsErrorCode.KEY_UNAVAILABLE),
            Map.entry("InternalFailure", KmsErrorCode.INTERNAL),
            Map.entry("InternalServerError", KmsErrorCode.INTERNAL),
            Map.entry("AccessDeniedException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("UnrecognizedClientException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("InvalidClientTokenId", KmsErrorCode.ACCESS_DENIED),
            Map.entry("InvalidSignatureException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("SignatureDoesNotMatch", KmsErrorCode.ACCESS_DENIED),
            Map.entry("IncompleteSignature", KmsErrorCode.ACCESS_DENIED),
            Map.entry("IncompleteSignatureException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("MissingAuthenticationToken", KmsErrorCode.ACCESS_DENIED),
            Map.entry("MissingAuthenticationTokenException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("ExpiredToken", KmsErrorCode.ACCESS_DENIED),
            Map.entry("ExpiredTokenException", KmsErrorCode.ACCESS_DENIED),
            Map.entry("RequestExpired", KmsErrorCode.ACCESS_DENIED),
            Map.entry("NotAuthorized", KmsErrorCode.ACCESS_DENIED),
            Map.entry("SerializationException", KmsErrorCode.VALIDATION),
            Map.entry("UnknownOperationException", KmsErrorCode.VALIDATION),
            Map.entry("InvalidArnException", KmsErrorCode.VALIDATION),
            Map.entry("InvalidGrantTokenException", KmsErrorCode.VALIDATION),
            Map.entry("InvalidGrantIdException", KmsErrorCode.VALIDATION),
            Map.entry("MalformedPolicyDocumentException", KmsErrorCode.VALIDATION),
            Map.entry("TagException", KmsErrorCode.VALIDATION),
            Map.entry("KMSInvalidMacException", KmsErrorCode.VALIDATION),
            Map.entry("DryRunOperationException", KmsErrorCode.VALIDATION),
            Map.entry("ConflictException", KmsErrorCode.INVALID_STATE),
            Map.entry("CustomKeyStoreInvalidStateException", KmsErrorCode.INVALID_STATE),
            Map.entry("CustomKeyStoreNotFoundException", KmsErrorCode.NOT_FOUND));

    private AwsErrors() {
    }

    /**
     * The kms4j error for an SDK failure.
     *
     * @param operation the KMS operation that failed, for the message (for example {@code "Encrypt"})
     * @param e what the SDK threw
     * @return a typed {@link KmsException} with {@code e} as its cause
     */
    public static KmsException toKms(String operation, SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            String awsCode = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String awsMessage = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            KmsErrorCode code = codeFor(awsCode, service.statusCode(), service.isThrottlingException());
            String message = "AWS KMS " + operation + " failed: " + (awsCode == null ? "HTTP " + service.statusCode()
                    : awsCode) + (awsMessage == null || awsMessage.isBlank() ? "" : ": " + awsMessage);
            return KmsException.of(code, message, e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return KmsException.of(KmsErrorCode.DEPENDENCY_TIMEOUT,
                    "AWS KMS " + operation + " timed out: " + e.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            return clientFailure(operation, (SdkClientException) e);
        }
        return KmsException.of(KmsErrorCode.INTERNAL, "AWS KMS " + operation + " failed: " + e.getMessage(), e);
    }

    /**
     * The kms4j code for an AWS error code and HTTP status.
     *
     * @param awsCode the {@code __type} (or {@code x-amzn-ErrorType}) the service sent, or null when the body
     *     was not an AWS error (an HTML page from a proxy, say)
     * @param httpStatus the response status
     * @param throttling whether the SDK classified the error as throttling
     */
    public static KmsErrorCode codeFor(String awsCode, int httpStatus, boolean throttling) {
        if (awsCode != null) {
            String bare = awsCode.substring(awsCode.lastIndexOf('#') + 1);
            KmsErrorCode alias = ALIASES.get(bare);
            if (alias != null) {
                return alias;
            }
            for (KmsErrorCode code : KmsErrorCode.values()) {
                if (code.awsCode().equals(bare)) {
                    return code;
                }
            }
        }
        if (throttling || httpStatus == 429) {
            return KmsErrorCode.THROTTLING;
        }
        if (httpStatus == 503) {
            return KmsErrorCode.KEY_UNAVAILABLE;
        }
        if (httpStatus == 504) {
            return KmsErrorCode.DEPENDENCY_TIMEOUT;
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return KmsErrorCode.ACCESS_DENIED;
        }
        if (httpStatus >= 400 && httpStatus < 500) {
            // A refusal AWS did not name in a way kms4j knows: the request, not the service, must change.
            return KmsErrorCode.VALIDATION;
        }
        return KmsErrorCode.INTERNAL;
    }

    private static KmsException clientFailure(String operation, SdkClientException e) {
        String text = String.valueOf(e.getMessage());
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("unable to load credentials") || lower.contains("unable to load aws credentials")) {
            return KmsException.of(KmsErrorCode.ACCESS_DENIED, "AWS KMS " + operation
                    + ": no AWS credentials found (environment, profile, web identity, container or instance "
                    + "metadata): " + text, e);
        }
        if (lower.contains("unable to load region")) {
            return KmsException.of(KmsErrorCode.VALIDATION, "AWS KMS " + operation
                    + ": no AWS region configured (set the region option or AWS_REGION): " + text, e);
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return KmsException.of(KmsErrorCode.DEPENDENCY_TIMEOUT,
                        "AWS KMS " + operation + " timed out: " + t.getMessage(), e);
            }
            if (t instanceof IOException) {
                return KmsException.of(KmsErrorCode.KEY_UNAVAILABLE,
                        "AWS KMS " + operation + " could not reach the endpoint: " + t, e);
            }
        }
        return KmsException.of(KmsErrorCode.INTERNAL, "AWS KMS " + operation + " failed in the AWS SDK: " + text, e);
    }
}
