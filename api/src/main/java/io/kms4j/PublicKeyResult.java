package io.kms4j;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@code GetPublicKey}: the public half of an asymmetric key, so that signatures can also be
 * verified outside kms4j. Nothing here is secret.
 *
 * <p>Thread safety: immutable (the encoded key is copied in and out).
 */
public final class PublicKeyResult {
    private final String keyId;
    private final byte[] publicKey;
    private final KeySpec keySpec;
    private final KeyUsage keyUsage;

    private PublicKeyResult(String keyId, byte[] publicKey, KeySpec keySpec, KeyUsage keyUsage) {
        this.keyId = keyId;
        this.publicKey = publicKey.clone();
        this.keySpec = keySpec;
        this.keyUsage = keyUsage;
    }

    /**
     * Makes a result.
     *
     * @param keyId the full identifier (ARN or key URI) of the key
     * @param publicKey the DER-encoded X.509 SubjectPublicKeyInfo, as AWS returns it; copied
     */
    public static PublicKeyResult of(String keyId, byte[] publicKey, KeySpec keySpec, KeyUsage keyUsage) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keySpec, "keySpec");
        Objects.requireNonNull(keyUsage, "keyUsage");
        return new PublicKeyResult(keyId, publicKey, keySpec, keyUsage);
    }

    /** The full identifier of the key. */
    public String keyId() {
        return keyId;
    }

    /** A copy of the DER-encoded X.509 SubjectPublicKeyInfo. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key's spec. */
    public KeySpec keySpec() {
        return keySpec;
    }

    /** The key's usage. */
    public KeyUsage keyUsage() {
        return keyUsage;
    }

    /** The algorithms the key signs with. */
    public List<SigningAlgorithm> signingAlgorithms() {
        return SigningAlgorithm.forKeySpec(keySpec);
    }

    /**
     * The public key as a JCA object, for {@link java.security.Signature#initVerify(PublicKey)}.
     *
     * @throws KmsInternalException when the encoding does not parse (a backend returned a malformed key)
     */
    public PublicKey toJcaPublicKey() {
        String algorithm = keySpec.name().startsWith("RSA") ? "RSA" : "EC";
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(publicKey));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new KmsInternalException("the public key of " + keyId + " is not a valid " + keySpec + " key", e);
        }
    }

    @Override
    public String toString() {
        return "PublicKeyResult[keyId=" + keyId + ", keySpec=" + keySpec + ", keyUsage=" + keyUsage + "]";
    }
}
