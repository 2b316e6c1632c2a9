package io.kms4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeyIdentifierTest {

    @Test
    void of_classifiesEveryForm() {
        assertEquals(KeyIdentifier.Kind.KEY_ID, KeyIdentifier.of("1234abcd-12ab-34cd-56ef-1234567890ab").kind());
        assertEquals(KeyIdentifier.Kind.ALIAS_NAME, KeyIdentifier.of("alias/orders/eu-1").kind());
        assertEquals(KeyIdentifier.Kind.URI,
                KeyIdentifier.of("arn:aws:kms:us-east-1:111122223333:key/1234abcd").kind());
        assertEquals(KeyIdentifier.Kind.URI, KeyIdentifier.of("local:key/1234").kind());
        assertEquals(KeyIdentifier.Kind.URI, KeyIdentifier.of("pkcs11:token=kms4j;object=1234").kind());
    }

    @Test
    void of_malformed_invalidAndRefusedOnRequire() {
        for (String bad : new String[] {null, "", " ", " padded", "alias/", "alias/bad name", "x".repeat(2049),
                "tab\there"}) {
            KeyIdentifier id = KeyIdentifier.of(bad);
            assertEquals(KeyIdentifier.Kind.INVALID, id.kind(), String.valueOf(bad));
            assertThrows(ValidationException.class, id::requireValid);
        }
    }
}
