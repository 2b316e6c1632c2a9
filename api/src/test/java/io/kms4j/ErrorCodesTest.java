package io.kms4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorCodesTest {

    @Test
    void of_everyCode_typedSubclassCarryingThatCode() {
        for (KmsErrorCode code : KmsErrorCode.values()) {
            KmsException e = KmsException.of(code, "m", null);
            assertSame(code, e.errorCode());
            assertEquals(code.awsCode(), e.awsErrorCode());
            assertEquals(code, KmsErrorCode.fromAwsCode(code.awsCode()));
            if (code != KmsErrorCode.INTERNAL) {
                assertFalse(e.getClass() == KmsException.class, code + " has its own subclass");
            }
        }
    }

    @Test
    void retryable_onlyTransientFailures() {
        assertTrue(new ThrottlingException("t").isRetryable());
        assertTrue(new DependencyTimeoutException("t").isRetryable());
        assertTrue(new KeyUnavailableException("t").isRetryable());
        assertFalse(new InvalidCiphertextException("t").isRetryable());
        assertFalse(new NotFoundException("t").isRetryable());
        assertFalse(new ValidationException("t").isRetryable());
        assertEquals(KmsErrorCode.INTERNAL, KmsErrorCode.fromAwsCode("SomethingNew"));
    }
}
