package io.kms4j.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kms4j.InvalidCiphertextException;
import io.kms4j.conformance.WycheproofAeadVectors;
import io.kms4j.local.internal.AesGcm;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Runs every case of Wycheproof's {@code aes_gcm_test.json} through the local provider's AES-GCM code.
 * Valid cases must encrypt to exactly the expected ciphertext and tag and decrypt back; invalid cases must be
 * refused (with InvalidCiphertextException, or as parameters AES-GCM does not accept) and never yield
 * plaintext; acceptable cases may go either way, and which way is counted.
 */
class LocalAesGcmWycheproofTest {
    @Test
    void aesGcm_everyWycheproofCase_behavesAsExpected() throws Exception {
        List<WycheproofAeadVectors.Case> cases = WycheproofAeadVectors.load("aes_gcm_test.json");
        int valid = 0;
        int invalid = 0;
        int acceptableAccepted = 0;
        int acceptableRejected = 0;
        for (WycheproofAeadVectors.Case c : cases) {
            boolean accepted = run(c);
            switch (c.result()) {
                case "valid":
                    if (!accepted) {
                        fail("valid vector rejected: " + c);
                    }
                    valid++;
                    break;
                case "invalid":
                    if (accepted) {
                        fail("invalid vector accepted: " + c);
                    }
                    invalid++;
                    break;
                default:
                    if (accepted) {
                        acceptableAccepted++;
                    } else {
                        acceptableRejected++;
                    }
            }
        }
        int ran = valid + invalid + acceptableAccepted + acceptableRejected;
        System.out.printf("Wycheproof aes_gcm_test.json: ran %d of %d cases, passed %d (valid %d, invalid %d, "
                        + "acceptable %d accepted / %d rejected), skipped 0%n", ran, cases.size(), ran, valid, invalid,
                acceptableAccepted, acceptableRejected);
        assertEquals(cases.size(), ran);
        assertTrue(ran >= 316, "the full file ran");
    }

    /** Whether the implementation accepted the case (and, where it did, produced exactly the expected bytes). */
    private static boolean run(WycheproofAeadVectors.Case c) {
        SecretKeySpec key;
        try {
            key = new SecretKeySpec(c.key(), "AES");
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = c.ciphertextAndTag();
        boolean encryptedAsExpected = false;
        try {
            byte[] out = AesGcm.encrypt(key, c.iv(), c.tagSizeBits(), c.aad(), c.msg());
            encryptedAsExpected = java.util.Arrays.equals(out, expected);
        } catch (IllegalArgumentException e) {
            // parameters refused (for example an empty IV): the case is rejected
        }
        try {
            byte[] plaintext = AesGcm.decrypt(key, c.iv(), c.tagSizeBits(), c.aad(), expected);
            if ("invalid".equals(c.result())) {
                fail("invalid vector decrypted: " + c);
            }
            assertArrayEquals(c.msg(), plaintext, "decrypted plaintext of " + c);
            if (!encryptedAsExpected && "valid".equals(c.result())) {
                fail("valid vector decrypted but did not encrypt to the expected bytes: " + c);
            }
            return true;
        } catch (InvalidCiphertextException e) {
            return false;
        }
    }
}
