package io.kms4j.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.KeyUnavailableException;
import io.kms4j.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Finding a token by label. This test JVM runs WITHOUT the --add-exports flag, so it exercises the path library
 * users get by default: the child JVM. The answer is checked against SoftHSM2's own tool.
 */
class TokenSlotResolverTest {
    private static final String MODULE = System.getProperty("kms4j.test.pkcs11.module");
    private static final String TOKEN = System.getProperty("kms4j.test.pkcs11.token");
    private static final String OTHER = System.getProperty("kms4j.test.pkcs11.otherToken");

    @Test
    void listInChildJvm_withoutExportFlag_matchesSoftHsmsOwnSlotList() throws Exception {
        assertFalse(TokenSlotResolver.wrapperExportedToUs(), "this JVM must not have the export flag");
        Map<String, Long> expected = softHsmSlots();
        Map<String, Long> listed = new HashMap<>();
        for (TokenSlotLister.Slot slot : TokenSlotResolver.listInChildJvm(MODULE)) {
            if (!slot.label().isEmpty()) {
                listed.put(slot.label(), slot.slotId());
            }
        }
        assertEquals(expected, listed);
        assertTrue(listed.containsKey(TOKEN) && listed.containsKey(OTHER), listed.toString());
        assertEquals(expected.get(OTHER), TokenSlotResolver.resolve(MODULE, OTHER));
    }

    @Test
    void resolve_unknownLabel_validationNamingTheTokensFound() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> TokenSlotResolver.resolve(MODULE, "no-such-label"));
        assertTrue(e.getMessage().contains("'" + TOKEN + "'") && e.getMessage().contains("'" + OTHER + "'"),
                e.getMessage());
    }

    @Test
    void listInChildJvm_notAPkcs11Module_keyUnavailableWithTheReason() {
        KeyUnavailableException e = assertThrows(KeyUnavailableException.class,
                () -> TokenSlotResolver.listInChildJvm("/nonexistent/libnothing.so"));
        assertTrue(e.getMessage().contains("/nonexistent/libnothing.so"), e.getMessage());
    }

    @Test
    void parse_hexLabels_anyBytesSurvive() {
        List<TokenSlotLister.Slot> slots = TokenSlotResolver.parse("17 6b6d7334\n5 \n9 c3bc20c3a9\n");
        assertEquals(List.of(new TokenSlotLister.Slot(17, "kms4"), new TokenSlotLister.Slot(5, ""),
                new TokenSlotLister.Slot(9, "ü é")), slots);
    }

    /** Label to slot id, as softhsm2-util --show-slots prints them. */
    private static Map<String, Long> softHsmSlots() throws Exception {
        Process p = new ProcessBuilder("softhsm2-util", "--show-slots").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Map<String, Long> slots = new HashMap<>();
        Long current = null;
        Matcher m = Pattern.compile("(?m)^Slot (\\d+)$|^\\s+Label:\\s+(.*?)\\s*$").matcher(out);
        while (m.find()) {
            if (m.group(1) != null) {
                current = Long.parseLong(m.group(1));
            } else if (current != null && !m.group(2).isEmpty()) {
                slots.put(m.group(2), current);
                current = null;
            }
        }
        return slots;
    }
}
