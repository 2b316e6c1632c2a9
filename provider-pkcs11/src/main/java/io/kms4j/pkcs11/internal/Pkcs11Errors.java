package io.kms4j.pkcs11.internal;

import io.kms4j.AccessDeniedException;
import io.kms4j.KeyUnavailableException;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.LimitExceededException;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.ValidationException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what SunPKCS11 throws into typed kms4j errors.
 *
 * <p>SunPKCS11 reports a token's answer as a {@code sun.security.pkcs11.wrapper.PKCS11Exception}, usually
 * wrapped in a JCA exception ({@code InvalidKeyException}, {@code ProviderException}, {@code IOException} from
 * a KeyStore…). That class is in a package the JDK does not export, so it cannot be named here: the cause
 * chain is searched for it by class name and its {@code CKR_…} code read from its message (exactly the code on
 * JDK 17 to 25; later JDKs may append details, hence the pattern). Mapping the code, not the wrapper type,
 * keeps the meaning stable across JDKs.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class Pkcs11Errors {
    private static final String PKCS11_EXCEPTION = "sun.security.pkcs11.wrapper.PKCS11Exception";
    private static final Pattern CKR = Pattern.compile("CKR_[A-Z0-9_]+");

    /** Codes after which a fresh login and fresh key handles may make the same call succeed. */
    private static final Set<String> SESSION_LOST = Set.of(
            "CKR_USER_NOT_LOGGED_IN", "CKR_SESSION_HANDLE_INVALID", "CKR_SESSION_CLOSED",
            "CKR_OBJECT_HANDLE_INVALID", "CKR_KEY_HANDLE_INVALID", "CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED",
            "CKR_CRYPTOKI_NOT_INITIALIZED");

    private static final Set<String> BAD_CREDENTIALS = Set.of(
            "CKR_PIN_INCORRECT", "CKR_PIN_INVALID", "CKR_PIN_LEN_RANGE", "CKR_PIN_LOCKED", "CKR_PIN_EXPIRED",
            "CKR_USER_PIN_NOT_INITIALIZED", "CKR_USER_TYPE_INVALID");

    private static final Set<String> UNAVAILABLE = Set.of(
            "CKR_DEVICE_ERROR", "CKR_DEVICE_MEMORY", "CKR_HOST_MEMORY", "CKR_TOKEN_NOT_RECOGNIZED",
            "CKR_FUNCTION_FAILED", "CKR_CANCEL", "CKR_CANT_LOCK");

    private static final Set<String> LIMITS = Set.of("CKR_SESSION_COUNT");

    private static final Set<String> UNSUPPORTED = Set.of(
            "CKR_FUNCTION_NOT_SUPPORTED", "CKR_MECHANISM_INVALID", "CKR_KEY_TYPE_INCONSISTENT",
            "CKR_KEY_FUNCTION_NOT_PERMITTED");

    private Pkcs11Errors() {
    }

    /** The {@code CKR_…} code a SunPKCS11 failure carries anywhere in its cause chain, if any. */
    public static Optional<String> code(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t.getClass().getName().equals(PKCS11_EXCEPTION) && t.getMessage() != null) {
                Matcher m = CKR.matcher(t.getMessage());
                if (m.find()) {
                    return Optional.of(m.group());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the failure means the login or the session went away (the token logged out, was reset…). */
    public static boolean sessionLost(Throwable failure) {
        return code(failure).map(SESSION_LOST::contains).orElse(false);
    }

    /** Whether the failure means the PIN was refused or cannot be used. */
    public static boolean badCredentials(Throwable failure) {
        return code(failure).map(BAD_CREDENTIALS::contains).orElse(false);
    }

    /**
     * A short description for messages: the {@code CKR_…} code when there is one, else the exception's type and
     * message. Never contains secrets: SunPKCS11 messages carry codes and names, not data.
     */
    public static String describe(Throwable failure) {
        Optional<String> code = code(failure);
        if (code.isPresent()) {
            return code.get();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * The typed kms4j error for a token failure.
     *
     * @param what what was being done, naming the key or token, for example {@code "encrypt with key 1234"}
     */
    public static KmsException toKms(String what, Throwable failure) {
        if (failure instanceof KmsException) {
            return (KmsException) failure;
        }
        String message = what + " failed on the PKCS#11 token: " + describe(failure);
        String code = code(failure).orElse("");
        if (code.isEmpty() && failure instanceof java.security.NoSuchAlgorithmException) {
            // SunPKCS11 offers only the algorithms whose mechanisms the token lists (for example no raw RSA).
            return new UnsupportedKmsOperationException(message + " (the token does not offer the mechanism)",
                    failure);
        }
        if (BAD_CREDENTIALS.contains(code)) {
            return new AccessDeniedException(message, failure);
        }
        if (SESSION_LOST.contains(code) || UNAVAILABLE.contains(code)) {
            return new KeyUnavailableException(message, failure);
        }
        if (LIMITS.contains(code)) {
            return new LimitExceededException(message, failure);
        }
        if (UNSUPPORTED.contains(code)) {
            return new UnsupportedKmsOperationException(message, failure);
        }
        if (code.equals("CKR_SLOT_ID_INVALID")) {
            return new ValidationException(message + " (no such slot)", failure);
        }
        return new KmsInternalException(message, failure);
    }
}
