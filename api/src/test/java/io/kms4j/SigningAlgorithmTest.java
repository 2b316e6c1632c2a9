package io.kms4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningAlgorithmTest {

    @Test
    void forKeySpec_matchesTheAlgorithmsAwsKmsListsPerSpec() {
        List<SigningAlgorithm> rsa = List.of(SigningAlgorithm.RSASSA_PSS_SHA_256, SigningAlgorithm.RSASSA_PSS_SHA_384,
                SigningAlgorithm.RSASSA_PSS_SHA_512, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
                SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384, SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512);
        assertEquals(rsa, SigningAlgorithm.forKeySpec(KeySpec.RSA_2048));
        assertEquals(rsa, SigningAlgorithm.forKeySpec(KeySpec.RSA_3072));
        assertEquals(rsa, SigningAlgorithm.forKeySpec(KeySpec.RSA_4096));
        assertEquals(List.of(SigningAlgorithm.ECDSA_SHA_256), SigningAlgorithm.forKeySpec(KeySpec.ECC_NIST_P256));
        assertEquals(List.of(SigningAlgorithm.ECDSA_SHA_384), SigningAlgorithm.forKeySpec(KeySpec.ECC_NIST_P384));
        assertEquals(List.of(), SigningAlgorithm.forKeySpec(KeySpec.SYMMETRIC_DEFAULT));
    }

    @Test
    void digestLength_isWhatTheJdkDigestProduces() throws Exception {
        for (SigningAlgorithm a : SigningAlgorithm.values()) {
            assertEquals(MessageDigest.getInstance(a.digestAlgorithm()).getDigestLength(), a.digestLength(), a.name());
        }
    }

    @Test
    void pssParameters_mgf1WithTheSameHashAndSaltAsLongAsTheHash() {
        for (SigningAlgorithm a : SigningAlgorithm.values()) {
            if (a.family() != SigningAlgorithm.Family.RSA_PSS) {
                assertNull(a.pssParameters(), a.name());
                continue;
            }
            assertEquals(a.digestAlgorithm(), a.pssParameters().getDigestAlgorithm());
            assertEquals("MGF1", a.pssParameters().getMGFAlgorithm());
            assertEquals(a.digestAlgorithm(),
                    ((MGF1ParameterSpec) a.pssParameters().getMGFParameters()).getDigestAlgorithm());
            assertEquals(a.digestLength(), a.pssParameters().getSaltLength());
            assertEquals(1, a.pssParameters().getTrailerField());
        }
    }

    @Test
    void jcaName_signsAndVerifiesWithTheJdkForEveryAlgorithm() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaPair = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        byte[] message = {1, 2, 3};
        for (SigningAlgorithm a : SigningAlgorithm.values()) {
            KeyPair pair = rsaPair;
            if (a.family() == SigningAlgorithm.Family.ECDSA) {
                ec.initialize(new java.security.spec.ECGenParameterSpec(
                        a == SigningAlgorithm.ECDSA_SHA_256 ? "secp256r1" : "secp384r1"));
                pair = ec.generateKeyPair();
            }
            Signature signer = Signature.getInstance(a.jcaName());
            if (a.pssParameters() != null) {
                signer.setParameter(a.pssParameters());
            }
            signer.initSign(pair.getPrivate());
            signer.update(message);
            byte[] signature = signer.sign();
            signer.initVerify(pair.getPublic());
            signer.update(message);
            assertTrue(signer.verify(signature), a.name());
        }
    }
}
