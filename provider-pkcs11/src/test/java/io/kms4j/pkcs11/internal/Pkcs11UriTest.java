package io.kms4j.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class Pkcs11UriTest {

    @Test
    void parse_pathAndQueryAttributes_decoded() {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=My%20Token;object=alias%2Forders"
                + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-env=PIN");
        assertEquals("My Token", uri.pathAttribute("token").orElseThrow());
        assertEquals("alias/orders", uri.pathAttribute("object").orElseThrow());
        assertEquals(Map.of("module-path", "/usr/lib/softhsm/libsofthsm2.so", "pin-env", "PIN"),
                uri.queryAttributes());
    }

    @Test
    void encode_thenParse_roundTripsAnyLabel() {
        for (String label : new String[] {"kms4j", "with space", "ünï;?&=%/", "a:b@c"}) {
            Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=" + Pkcs11Uri.encode(label));
            assertEquals(label, uri.pathAttribute("token").orElseThrow());
        }
        assertEquals("alias%2Forders", Pkcs11Uri.encode("alias/orders"));
    }

    @Test
    void parse_malformed_rejectedWithTheReason() {
        for (String bad : new String[] {"local:key/1", "pkcs11:token", "pkcs11:tokne=x", "pkcs11:token=a;token=b",
                "pkcs11:token=%4", "pkcs11:token=%zz", "pkcs11:token=a b", "pkcs11:token=%ff%fe",
                "pkcs11:token=x?pin-valeu=1"}) {
            assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse(bad), bad);
        }
    }

    @Test
    void toString_neverShowsQueryValues() {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=t?pin-value=123456");
        assertFalse(uri.toString().contains("123456"));
        assertTrue(uri.toString().contains("pin-value"));
    }
}
