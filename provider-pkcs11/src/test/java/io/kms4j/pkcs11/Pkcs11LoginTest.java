package io.kms4j.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.AccessDeniedException;
import io.kms4j.KmsException;
import io.kms4j.ValidationException;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up against the second test token: the PIN from a variable or a file, a wrong PIN refused with
 * AccessDeniedException by the token itself, and misconfigurations refused with clear ValidationExceptions.
 */
class Pkcs11LoginTest {
    private static final String WRONG_PIN = "not-the-pin-0000";

    private static Pkcs11KmsProvider.Builder otherToken(char[] pin) {
        return Pkcs11KmsProvider.builder().modulePath(TestToken.module()).tokenLabel(TestToken.otherLabel())
                .pin(pin).stateDirectory(TestToken.freshStateDirectory()).clock(Clock.systemUTC());
    }

    private static String providerUri() {
        return "pkcs11:token=" + TestToken.otherLabel() + "?module-path=" + TestToken.module();
    }

    private static ProviderConfig config(String uri, Map<String, String> options, Map<String, String> env) {
        return ProviderConfig.of(URI.create(uri), options).withEnvironment(env::get);
    }

    @Test
    void build_wrongPinAfterEarlierLogin_tokenRefusesWithAccessDenied() {
        // A first provider logs the process in and closes; SunPKCS11 would now accept any PIN without asking the
        // token. kms4j must still have the token check the new PIN.
        try (KmsProvider first = otherToken(TestToken.pin()).build()) {
            first.generateRandom(8);
        }
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> otherToken(WRONG_PIN.toCharArray()).build());
        assertTrue(e.getMessage().contains("wrong PIN"), e.getMessage());
        assertTrue(e.getMessage().contains(TestToken.otherLabel()), "the message names the token");
        assertFalse(e.getMessage().contains(WRONG_PIN), "the message never shows the PIN");
        try (KmsProvider again = otherToken(TestToken.pin()).build()) {
            assertEquals(16, again.generateRandom(16).length, "the right PIN still works afterwards");
        }
    }

    @Test
    void build_wrongPinWhileTokenOpenInProcess_accessDenied() {
        try (KmsProvider open = otherToken(TestToken.pin()).build()) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class,
                    () -> otherToken(WRONG_PIN.toCharArray()).build());
            assertFalse(e.getMessage().contains(WRONG_PIN));
            assertEquals(8, open.generateRandom(8).length, "the open provider is unaffected");
        }
    }

    @Test
    void factory_pinFromEnvironmentVariable_opens() {
        String pin = new String(TestToken.pin());
        try (KmsProvider p = new Pkcs11KmsProviderFactory().create(config(providerUri(),
                Map.of("pin-env", "MY_PIN", "state-dir", TestToken.freshStateDirectory().toString()),
                Map.of("MY_PIN", pin)))) {
            assertEquals("pkcs11", p.info().scheme());
            assertTrue(p.info().name().contains(TestToken.otherLabel()));
        }
    }

    @Test
    void factory_pinSourceFileUriInProviderUri_opens() throws IOException {
        Path pinFile = Files.createTempFile(TestToken.freshStateDirectory(), "pin", ".txt");
        Files.writeString(pinFile, new String(TestToken.pin()) + "\n", StandardCharsets.UTF_8);
        String uri = providerUri() + "&pin-source=" + pinFile.toUri() + "&state-dir="
                + TestToken.freshStateDirectory();
        try (KmsProvider p = new Pkcs11KmsProviderFactory().create(config(uri, Map.of(), Map.of()))) {
            assertEquals(32, p.generateRandom(32).length);
        }
    }

    @Test
    void factory_defaultPinVariableWrong_accessDenied() {
        assertThrows(AccessDeniedException.class, () -> new Pkcs11KmsProviderFactory().create(config(providerUri(),
                Map.of("state-dir", TestToken.freshStateDirectory().toString()),
                Map.of(Pkcs11KmsProviderFactory.PIN_VARIABLE, WRONG_PIN))));
    }

    @Test
    void factory_noPin_validationNamesWhereToPutIt() {
        ValidationException e = assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config(providerUri(), Map.of(), Map.of())));
        assertTrue(e.getMessage().contains(Pkcs11KmsProviderFactory.PIN_VARIABLE), e.getMessage());
    }

    @Test
    void factory_pinValueInUri_refusedWithoutEchoingIt() {
        ValidationException e = assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config(providerUri() + "&pin-value=" + WRONG_PIN, Map.of(), Map.of())));
        assertFalse(e.getMessage().contains(WRONG_PIN), e.getMessage());
    }

    @Test
    void factory_unknownTokenLabel_validationListsTheTokensFound() {
        ValidationException e = assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config("pkcs11:token=no-such-token?module-path=" + TestToken.module(),
                        Map.of("pin-env", "P"), Map.of("P", "1234"))));
        assertTrue(e.getMessage().contains("no-such-token"), e.getMessage());
        assertTrue(e.getMessage().contains(TestToken.label()), "lists the labels it found: " + e.getMessage());
    }

    @Test
    void factory_missingModuleOrToken_validation() {
        Map<String, String> pin = Map.of("pin-env", "P");
        Map<String, String> env = Map.of("P", "1234");
        KmsException noModule = assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config("pkcs11:token=x", pin, env)));
        assertTrue(noModule.getMessage().contains("module-path"), noModule.getMessage());
        assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config("pkcs11:token=x?module-path=/nonexistent/libnothing.so", pin, env)));
        assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config("pkcs11:?module-path=" + TestToken.module(), pin, env)));
        assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config("pkcs11:token=x;tokne=y?module-path=" + TestToken.module(), pin, env)));
    }

    @Test
    void factory_unknownSlotId_validation() {
        ValidationException e = assertThrows(ValidationException.class, () -> new Pkcs11KmsProviderFactory()
                .create(config(providerUri() + "&slot-id=987654", Map.of("pin-env", "P"), Map.of("P", "1234"))));
        assertTrue(e.getMessage().contains("987654"), e.getMessage());
    }

    @Test
    void build_slotIdWithAnotherLabel_validationInsteadOfMixingTokens() {
        long slot = io.kms4j.pkcs11.internal.TokenSlotResolver.resolve(TestToken.module().toString(),
                TestToken.otherLabel());
        try (KmsProvider real = otherToken(TestToken.pin()).build()) {
            ValidationException e = assertThrows(ValidationException.class, () -> Pkcs11KmsProvider.builder()
                    .modulePath(TestToken.module()).tokenLabel("impostor").slotId(slot).pin(TestToken.pin())
                    .stateDirectory(TestToken.freshStateDirectory()).build());
            assertTrue(e.getMessage().contains(TestToken.otherLabel()), e.getMessage());
            assertEquals(4, real.generateRandom(4).length);
        }
    }
}
