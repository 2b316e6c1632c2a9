package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.AccessDeniedException;
import io.kms4j.AlreadyExistsException;
import io.kms4j.DependencyTimeoutException;
import io.kms4j.DisabledException;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidAliasNameException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.InvalidKeyUsageException;
import io.kms4j.InvalidMarkerException;
import io.kms4j.KeyUnavailableException;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.KmsInvalidStateException;
import io.kms4j.LimitExceededException;
import io.kms4j.NotFoundException;
import io.kms4j.ThrottlingException;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.ValidationException;
import io.kms4j.aws.internal.AwsErrors;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The mapping from the AWS SDK's exceptions (real SDK exception objects, as its JSON protocol unmarshaller builds
 * them) to kms4j's typed errors. End-to-end paths (an unreachable endpoint, a silent one, a throttling one) are
 * in {@link AwsKmsProviderErrorPathsTest}.
 */
class AwsErrorsTest {
    private static KmsException map(String code, int status) {
        return AwsErrors.toKms("Encrypt", software.amazon.awssdk.services.kms.model.KmsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("from AWS").build())
                .statusCode(status).build());
    }

    @Test
    public void toKms_everyKmsErrorCode_sameTypedKms4jError() {
        Map<String, Class<? extends KmsException>> expected = Map.ofEntries(
                Map.entry("NotFoundException", NotFoundException.class),
                Map.entry("DisabledException", DisabledException.class),
                Map.entry("KMSInvalidStateException", KmsInvalidStateException.class),
                Map.entry("InvalidCiphertextException", InvalidCiphertextException.class),
                Map.entry("IncorrectKeyException", IncorrectKeyException.class),
                Map.entry("InvalidKeyUsageException", InvalidKeyUsageException.class),
                Map.entry("KMSInvalidSignatureException", io.kms4j.KmsInvalidSignatureException.class),
                Map.entry("AlreadyExistsException", AlreadyExistsException.class),
                Map.entry("InvalidMarkerException", InvalidMarkerException.class),
                Map.entry("InvalidAliasNameException", InvalidAliasNameException.class),
                Map.entry("UnsupportedOperationException", UnsupportedKmsOperationException.class),
                Map.entry("LimitExceededException", LimitExceededException.class),
                Map.entry("ValidationException", ValidationException.class),
                Map.entry("AccessDeniedException", AccessDeniedException.class),
                Map.entry("KMSInternalException", KmsInternalException.class),
                Map.entry("DependencyTimeoutException", DependencyTimeoutException.class),
                Map.entry("KeyUnavailableException", KeyUnavailableException.class),
                Map.entry("ThrottlingException", ThrottlingException.class),
                Map.entry("TooManyRequestsException", ThrottlingException.class),
                Map.entry("UnrecognizedClientException", AccessDeniedException.class),
                Map.entry("InvalidSignatureException", AccessDeniedException.class),
                Map.entry("MissingAuthenticationTokenException", AccessDeniedException.class),
                Map.entry("ExpiredTokenException", AccessDeniedException.class),
                Map.entry("SerializationException", ValidationException.class),
                Map.entry("com.amazon.coral.service#SerializationException", ValidationException.class),
                Map.entry("UnknownOperationException", ValidationException.class),
                Map.entry("InvalidArnException", ValidationException.class),
                Map.entry("ServiceUnavailable", KeyUnavailableException.class),
                Map.entry("InternalFailure", KmsInternalException.class));
        expected.forEach((code, type) -> {
            KmsException e = map(code, 400);
            assertSame(type, e.getClass(), code);
            assertTrue(e.getMessage().contains("Encrypt") && e.getMessage().contains("from AWS"), e.getMessage());
            assertTrue(e.getCause() instanceof software.amazon.awssdk.services.kms.model.KmsException);
        });
    }

    @Test
    public void toKms_throttlingAndTimeouts_retryable_invalidCiphertextNever() {
        assertTrue(map("ThrottlingException", 400).isRetryable());
        assertTrue(map("DependencyTimeoutException", 500).isRetryable());
        assertTrue(map("KeyUnavailableException", 500).isRetryable());
        assertTrue(map("KMSInternalException", 500).isRetryable());
        assertFalse(map("InvalidCiphertextException", 400).isRetryable());
        assertFalse(map("InvalidCiphertextException", 500).isRetryable(), "whatever the status");
        assertFalse(map("DisabledException", 400).isRetryable());
        assertFalse(map("IncorrectKeyException", 400).isRetryable());
        assertFalse(map("KMSInvalidSignatureException", 400).isRetryable());
        assertSame(io.kms4j.KmsInvalidSignatureException.class, map("KMSInvalidSignatureException", 500).getClass(),
                "an invalid signature stays one whatever the status, and is never retried");
        assertFalse(map("KMSInvalidSignatureException", 500).isRetryable());
    }

    @Test
    public void toKms_noErrorCode_classifiedByStatus() {
        assertSame(ThrottlingException.class, map(null, 429).getClass());
        assertSame(KeyUnavailableException.class, map(null, 503).getClass());
        assertSame(DependencyTimeoutException.class, map(null, 504).getClass());
        assertSame(AccessDeniedException.class, map(null, 403).getClass());
        assertSame(ValidationException.class, map(null, 400).getClass());
        assertSame(ValidationException.class, map("SomethingNewException", 400).getClass());
        assertSame(KmsInternalException.class, map(null, 500).getClass());
        assertSame(KmsInternalException.class, map("SomethingNewException", 502).getClass());
    }

    @Test
    public void toKms_clientSideFailures_typedByCause() {
        assertSame(DependencyTimeoutException.class,
                AwsErrors.toKms("Decrypt", ApiCallTimeoutException.create(1000)).getClass());
        assertSame(DependencyTimeoutException.class,
                AwsErrors.toKms("Decrypt", ApiCallAttemptTimeoutException.create(1000)).getClass());
        assertSame(DependencyTimeoutException.class, AwsErrors.toKms("Decrypt", SdkClientException.builder()
                .message("read timed out").cause(new SocketTimeoutException("Read timed out")).build()).getClass());
        KmsException unreachable = AwsErrors.toKms("Decrypt", SdkClientException.builder()
                .message("Unable to execute HTTP request").cause(new ConnectException("Connection refused")).build());
        assertSame(KeyUnavailableException.class, unreachable.getClass());
        assertTrue(unreachable.isRetryable());
        assertSame(AccessDeniedException.class, AwsErrors.toKms("Decrypt", SdkClientException.builder()
                .message("Unable to load credentials from any of the providers in the chain").build()).getClass());
        assertSame(ValidationException.class, AwsErrors.toKms("Decrypt", SdkClientException.builder()
                .message("Unable to load region from any of the providers in the chain").build()).getClass());
        assertEquals("KMSInternalException", AwsErrors.toKms("Decrypt",
                SdkClientException.builder().message("Unable to unmarshall response").build()).awsErrorCode());
    }
}
