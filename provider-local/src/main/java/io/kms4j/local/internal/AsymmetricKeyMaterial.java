package io.kms4j.local.internal;

import io.kms4j.KeySpec;
import io.kms4j.KmsInternalException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;

/**
 * The keystore form of an asymmetric key version: {@code u16 length || SubjectPublicKeyInfo || PKCS#8 private
 * key}, all DER (big-endian length). It lives only inside the encrypted keystore, as the AES key material of
 * symmetric keys does; the public half is kept beside the private half because a PKCS#8 EC key from the JDK does
 * not carry its public point.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class AsymmetricKeyMaterial {
    private AsymmetricKeyMaterial() {
    }

    /**
     * Generates a key pair of {@code spec} and returns its keystore form; the caller wipes it.
     *
     * @throws KmsInternalException when the JDK cannot make such keys
     */
    public static byte[] generate(KeySpec spec, SecureRandom random) {
        try {
            KeyPairGenerator generator;
            switch (spec) {
                case RSA_2048:
                case RSA_3072:
                case RSA_4096:
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(new RSAKeyGenParameterSpec(Integer.parseInt(spec.name().substring(4)),
                            RSAKeyGenParameterSpec.F4), random);
                    break;
                case ECC_NIST_P256:
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                    break;
                case ECC_NIST_P384:
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp384r1"), random);
                    break;
                default:
                    throw new IllegalArgumentException(spec + " is not an asymmetric key spec");
            }
            KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            try {
                return ByteBuffer.allocate(2 + spki.length + pkcs8.length)
                        .putShort((short) spki.length).put(spki).put(pkcs8).array();
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new KmsInternalException("this JDK cannot generate " + spec + " keys", e);
        }
    }

    /** The DER SubjectPublicKeyInfo of a keystore-form key pair. */
    public static byte[] publicKey(byte[] material) {
        int length = publicKeyLength(material);
        return Arrays.copyOfRange(material, 2, 2 + length);
    }

    /** The DER PKCS#8 private key of a keystore-form key pair; the caller wipes it. */
    public static byte[] privateKey(byte[] material) {
        int length = publicKeyLength(material);
        return Arrays.copyOfRange(material, 2 + length, material.length);
    }

    private static int publicKeyLength(byte[] material) {
        int length = material.length < 2 ? -1 : ((material[0] & 0xff) << 8) | (material[1] & 0xff);
        if (length <= 0 || 2 + length >= material.length) {
            throw new KmsInternalException("the keystore holds a malformed asymmetric key");
        }
        return length;
    }
}
