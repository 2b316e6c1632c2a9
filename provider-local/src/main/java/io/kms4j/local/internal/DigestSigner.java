package io.kms4j.local.internal;

import io.kms4j.KmsInternalException;
import io.kms4j.SigningAlgorithm;
import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.Prehash;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Signs and verifies a precomputed digest with Bouncy Castle's lightweight signers, so that Sign and Verify
 * take a RAW message and a DIGEST alike (the provider hashes RAW messages first). ECDSA uses deterministic nonces
 * (RFC 6979), so a weak random source cannot leak the key; RSA uses blinding.
 *
 * <p>Not API. Thread safety: stateless; each call builds its own signer.
 */
public final class DigestSigner {
    private DigestSigner() {
    }

    /**
     * Signs {@code digest} with a DER PKCS#8 private key.
     *
     * @throws KmsInternalException when the key does not parse or signing fails (a bug, not bad input)
     */
    public static byte[] sign(SigningAlgorithm algorithm, byte[] pkcs8, byte[] digest, SecureRandom random) {
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(pkcs8);
            Signer signer = signer(algorithm);
            signer.init(true, algorithm.family() == SigningAlgorithm.Family.ECDSA ? key
                    : new ParametersWithRandom(key, random));
            signer.update(digest, 0, digest.length);
            return signer.generateSignature();
        } catch (IOException | CryptoException | RuntimeException e) {
            throw new KmsInternalException("signing with " + algorithm + " failed", e);
        }
    }

    /**
     * Verifies {@code signature} over {@code digest} with a DER SubjectPublicKeyInfo.
     *
     * @return whether it is valid; false for a signature that is not even well formed
     */
    public static boolean verify(SigningAlgorithm algorithm, byte[] spki, byte[] digest, byte[] signature) {
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(spki);
        } catch (IOException | RuntimeException e) {
            throw new KmsInternalException("the keystore holds a malformed public key", e);
        }
        try {
            Signer signer = signer(algorithm);
            signer.init(false, key);
            signer.update(digest, 0, digest.length);
            return signer.verifySignature(signature);
        } catch (RuntimeException e) {
            // A malformed signature (bad DER, wrong length) is an invalid signature, not an error.
            return false;
        }
    }

    private static Signer signer(SigningAlgorithm algorithm) {
        Prehash prehash = Prehash.forDigest(digest(algorithm));
        switch (algorithm.family()) {
            case RSA_PSS:
                // PSS hashes twice (the message, then M' = padding || mHash || salt): the raw signer takes mHash
                // as input and still has a real digest for M'.
                return PSSSigner.createRawSigner(new RSABlindedEngine(), digest(algorithm), digest(algorithm),
                        algorithm.digestLength(), PSSSigner.TRAILER_IMPLICIT);
            case RSA_PKCS1:
                return new RSADigestSigner(prehash, oid(algorithm));
            default:
                return new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(digest(algorithm))), prehash,
                        StandardDSAEncoding.INSTANCE);
        }
    }

    private static Digest digest(SigningAlgorithm algorithm) {
        switch (algorithm.digestLength()) {
            case 32:
                return new SHA256Digest();
            case 48:
                return new SHA384Digest();
            default:
                return new SHA512Digest();
        }
    }

    private static ASN1ObjectIdentifier oid(SigningAlgorithm algorithm) {
        switch (algorithm.digestLength()) {
            case 32:
                return NISTObjectIdentifiers.id_sha256;
            case 48:
                return NISTObjectIdentifiers.id_sha384;
            default:
                return NISTObjectIdentifiers.id_sha512;
        }
    }
}
