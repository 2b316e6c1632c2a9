package io.kms4j.pkcs11.internal;

import io.kms4j.SigningAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * Signs and verifies a precomputed digest with keys on a PKCS#11 token through SunPKCS11: every operation with a
 * key (private or public) runs on the token; this class only builds and checks encodings around it.
 *
 * <ul>
 *   <li>ECDSA: {@code NONEwithECDSA} ({@code CKM_ECDSA}) signs the digest on the token and returns DER. To verify,
 *       the DER signature is first parsed <em>strictly</em> here (minimal lengths and integers, no trailing
 *       bytes, 0 &lt; r, s &lt; n) and passed to the token as r || s ({@code NONEwithECDSAinP1363Format}), so
 *       that SunPKCS11's own, more lenient DER decoding never decides what a signature means.
 *   <li>RSASSA-PKCS1-v1_5: this class builds the DigestInfo and the token pads and signs it
 *       ({@code NONEwithRSA}, {@code CKM_RSA_PKCS}). To verify, the token runs the raw public-key operation
 *       ({@code RSA/ECB/NoPadding}, {@code CKM_RSA_X_509}) and the result must equal the one valid encoding
 *       exactly (RFC 8017, 8.2.2: encode and compare, compared in constant time).
 *   <li>RSASSA-PSS: SunPKCS11's {@code RSASSA-PSS} Signature always hashes its input itself (JDK 17 to 25), so it
 *       cannot sign a digest. Bouncy Castle's raw PSS signer does the EMSA-PSS encoding (RFC 8017, 9.1) over the
 *       digest, and only the raw RSA operation runs on the token ({@code CKM_RSA_X_509}: with the private key
 *       to sign, the public key to verify). The private key never leaves the token.
 * </ul>
 *
 * <p>Public keys given to the verify methods may be plain JCA keys: SunPKCS11 imports them as session objects.
 * Verification returns false for any malformed signature; token failures other than "signature invalid" are
 * thrown, for the caller to map.
 *
 * <p>Not API. Thread safety: stateless; every call builds its own JCA objects.
 */
public final class TokenSignatures {
    /** What the token answers for a signature that is merely wrong, not for a failing token. */
    private static final Set<String> SIGNATURE_REJECTED = Set.of("CKR_SIGNATURE_INVALID", "CKR_SIGNATURE_LEN_RANGE",
            "CKR_DATA_INVALID", "CKR_DATA_LEN_RANGE", "CKR_ENCRYPTED_DATA_INVALID", "CKR_ENCRYPTED_DATA_LEN_RANGE");

    private static final byte[] SHA256_DIGEST_INFO = hex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_DIGEST_INFO = hex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_DIGEST_INFO = hex("3051300d060960864801650304020305000440");

    private TokenSignatures() {
    }

    /**
     * Signs {@code digest} with a private key on the token.
     *
     * @param publicKey the key's public half (RSA needs its modulus for the PSS encoding)
     * @return DER (r, s) for ECDSA, the k-byte signature for RSA
     * @throws GeneralSecurityException when the token fails
     */
    public static byte[] sign(Provider provider, SigningAlgorithm algorithm, PrivateKey privateKey,
                              PublicKey publicKey, byte[] digest, SecureRandom random)
            throws GeneralSecurityException {
        switch (algorithm.family()) {
            case ECDSA: {
                Signature signer = Signature.getInstance("NONEwithECDSA", provider);
                signer.initSign(privateKey);
                signer.update(digest);
                return signer.sign();
            }
            case RSA_PKCS1: {
                Signature signer = Signature.getInstance("NONEwithRSA", provider);
                signer.initSign(privateKey);
                signer.update(digestInfo(algorithm, digest));
                return leftPad(signer.sign(), modulusBytes(publicKey));
            }
            default: {
                PSSSigner pss = pssSigner(algorithm, new TokenRsaOperation(provider, privateKey, publicKey));
                pss.init(true, new ParametersWithRandom(keyParameters(publicKey, true), random));
                pss.update(digest, 0, digest.length);
                try {
                    return pss.generateSignature();
                } catch (CryptoException e) {
                    throw new SignatureException("RSASSA-PSS encoding failed", e);
                } catch (TokenRsaOperation.TokenFailure e) {
                    throw e.failure;
                }
            }
        }
    }

    /**
     * Verifies {@code signature} over {@code digest} on the token.
     *
     * @return whether the signature is valid; false for a malformed signature of any kind
     * @throws GeneralSecurityException when the token fails for another reason than rejecting the signature
     */
    public static boolean verify(Provider provider, SigningAlgorithm algorithm, PublicKey publicKey, byte[] digest,
                                 byte[] signature) throws GeneralSecurityException {
        if (signature == null || digest.length != algorithm.digestLength()) {
            return false;
        }
        try {
            switch (algorithm.family()) {
                case ECDSA:
                    return verifyEcdsa(provider, (ECPublicKey) publicKey, digest, signature);
                case RSA_PKCS1:
                    return verifyPkcs1(provider, algorithm, (RSAPublicKey) publicKey, digest, signature);
                default:
                    return verifyPss(provider, algorithm, (RSAPublicKey) publicKey, digest, signature);
            }
        } catch (SignatureException e) {
            if (SIGNATURE_REJECTED.contains(Pkcs11Errors.code(e).orElse(""))) {
                return false;
            }
            throw e;
        } catch (ClassCastException e) {
            return false; // an algorithm of the other family: the key cannot have made this signature
        }
    }

    private static boolean verifyEcdsa(Provider provider, ECPublicKey publicKey, byte[] digest, byte[] signature)
            throws GeneralSecurityException {
        BigInteger order = publicKey.getParams().getOrder();
        byte[] p1363 = strictDerToP1363(signature, order);
        if (p1363 == null) {
            return false;
        }
        Signature verifier = Signature.getInstance("NONEwithECDSAinP1363Format", provider);
        verifier.initVerify(publicKey);
        verifier.update(digest);
        return verifier.verify(p1363);
    }

    private static boolean verifyPkcs1(Provider provider, SigningAlgorithm algorithm, RSAPublicKey publicKey,
                                       byte[] digest, byte[] signature) throws GeneralSecurityException {
        int k = modulusBytes(publicKey);
        if (!inRange(signature, publicKey)) {
            return false;
        }
        byte[] recovered = leftPad(rawPublic(provider, publicKey, signature), k);
        byte[] t = digestInfo(algorithm, digest);
        if (k < t.length + 11) {
            return false;
        }
        byte[] expected = new byte[k];
        expected[1] = 0x01;
        Arrays.fill(expected, 2, k - t.length - 1, (byte) 0xff);
        System.arraycopy(t, 0, expected, k - t.length, t.length);
        return MessageDigest.isEqual(recovered, expected);
    }

    private static boolean verifyPss(Provider provider, SigningAlgorithm algorithm, RSAPublicKey publicKey,
                                     byte[] digest, byte[] signature) throws GeneralSecurityException {
        if (!inRange(signature, publicKey)) {
            return false;
        }
        PSSSigner pss = pssSigner(algorithm, new TokenRsaOperation(provider, null, publicKey));
        pss.init(false, keyParameters(publicKey, false));
        pss.update(digest, 0, digest.length);
        try {
            return pss.verifySignature(signature);
        } catch (TokenRsaOperation.TokenFailure e) {
            throw e.failure;
        }
    }

    /** RFC 8017, 8.2.2 step 1 and 5.2.2 step 1: exactly k bytes, and below the modulus. */
    private static boolean inRange(byte[] signature, RSAPublicKey publicKey) {
        return signature.length == modulusBytes(publicKey)
                && new BigInteger(1, signature).compareTo(publicKey.getModulus()) < 0;
    }

    private static byte[] rawPublic(Provider provider, PublicKey publicKey, byte[] block)
            throws GeneralSecurityException {
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding", provider);
        raw.init(Cipher.ENCRYPT_MODE, publicKey);
        return raw.doFinal(block);
    }

    private static byte[] rawPrivate(Provider provider, PrivateKey privateKey, byte[] block)
            throws GeneralSecurityException {
        // ENCRYPT_MODE with a private key is C_Sign with CKM_RSA_X_509 in SunPKCS11: it needs CKA_SIGN only.
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding", provider);
        raw.init(Cipher.ENCRYPT_MODE, privateKey);
        return raw.doFinal(block);
    }

    /**
     * Parses an ECDSA signature as strict DER: {@code SEQUENCE { INTEGER r, INTEGER s }} with definite, minimal
     * lengths, minimal positive integers, nothing after the sequence, and 0 &lt; r, s &lt; {@code order}.
     *
     * @return r || s, each as long as the order, or null when the signature is not such an encoding
     */
    static byte[] strictDerToP1363(byte[] der, BigInteger order) {
        int[] position = {0};
        if (der.length < 2 || der[0] != 0x30) {
            return null;
        }
        position[0] = 1;
        int length = readLength(der, position);
        if (length < 0 || position[0] + length != der.length) {
            return null;
        }
        BigInteger r = readInteger(der, position);
        BigInteger s = r == null ? null : readInteger(der, position);
        if (s == null || position[0] != der.length) {
            return null;
        }
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
            return null;
        }
        int size = (order.bitLength() + 7) / 8;
        byte[] out = new byte[2 * size];
        byte[] rb = unsigned(r);
        byte[] sb = unsigned(s);
        System.arraycopy(rb, 0, out, size - rb.length, rb.length);
        System.arraycopy(sb, 0, out, 2 * size - sb.length, sb.length);
        return out;
    }

    /** A DER length at {@code position}, advancing it; -1 when indefinite, non-minimal or truncated. */
    private static int readLength(byte[] der, int[] position) {
        if (position[0] >= der.length) {
            return -1;
        }
        int first = der[position[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        if (first != 0x81 || position[0] >= der.length) {
            return -1; // signatures of the supported curves are under 256 bytes; 0x80 is indefinite
        }
        int length = der[position[0]++] & 0xff;
        return length < 0x80 ? -1 : length; // long form for a short length is not DER
    }

    private static BigInteger readInteger(byte[] der, int[] position) {
        if (position[0] >= der.length || der[position[0]++] != 0x02) {
            return null;
        }
        int length = readLength(der, position);
        if (length <= 0 || position[0] + length > der.length) {
            return null;
        }
        int start = position[0];
        if ((der[start] & 0x80) != 0) {
            return null; // negative
        }
        if (length > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
            return null; // a needless leading zero
        }
        position[0] += length;
        return new BigInteger(1, Arrays.copyOfRange(der, start, start + length));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** The DER DigestInfo of RFC 8017, section 9.2, note 1, for the algorithm's hash. */
    static byte[] digestInfo(SigningAlgorithm algorithm, byte[] digest) {
        byte[] prefix;
        switch (algorithm.digestLength()) {
            case 32:
                prefix = SHA256_DIGEST_INFO;
                break;
            case 48:
                prefix = SHA384_DIGEST_INFO;
                break;
            default:
                prefix = SHA512_DIGEST_INFO;
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + digest.length);
        System.arraycopy(digest, 0, out, prefix.length, digest.length);
        return out;
    }

    private static PSSSigner pssSigner(SigningAlgorithm algorithm, AsymmetricBlockCipher rsa) {
        // The raw signer takes mHash as its input; the second digest hashes M' = padding || mHash || salt.
        return PSSSigner.createRawSigner(rsa, digest(algorithm), digest(algorithm), algorithm.digestLength(),
                PSSSigner.TRAILER_IMPLICIT);
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

    /** What PSSSigner reads the modulus size from; the exponent is never used (the token holds the key). */
    private static RSAKeyParameters keyParameters(PublicKey publicKey, boolean forSigning) {
        RSAPublicKey rsa = (RSAPublicKey) publicKey;
        return new RSAKeyParameters(forSigning, rsa.getModulus(), rsa.getPublicExponent());
    }

    private static int modulusBytes(PublicKey publicKey) {
        return (((RSAPublicKey) publicKey).getModulus().bitLength() + 7) / 8;
    }

    private static byte[] leftPad(byte[] value, int length) {
        if (value.length >= length) {
            return value;
        }
        byte[] out = new byte[length];
        System.arraycopy(value, 0, out, length - value.length, value.length);
        return out;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    /**
     * Bouncy Castle's view of the token's raw RSA operation: the private key to sign, the public key to verify.
     * Token failures travel through Bouncy Castle as an unchecked {@link TokenFailure} and are unwrapped above.
     */
    private static final class TokenRsaOperation implements AsymmetricBlockCipher {
        private final Provider provider;
        private final PrivateKey privateKey;
        private final PublicKey publicKey;
        private boolean signing;

        TokenRsaOperation(Provider provider, PrivateKey privateKey, PublicKey publicKey) {
            this.provider = provider;
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        @Override
        public void init(boolean forEncryption, CipherParameters param) {
            this.signing = forEncryption;
        }

        @Override
        public int getInputBlockSize() {
            return modulusBytes(publicKey);
        }

        @Override
        public int getOutputBlockSize() {
            return modulusBytes(publicKey);
        }

        @Override
        public byte[] processBlock(byte[] in, int inOff, int len) {
            byte[] block = Arrays.copyOfRange(in, inOff, inOff + len);
            try {
                byte[] out = signing ? rawPrivate(provider, privateKey, block) : rawPublic(provider, publicKey, block);
                return leftPad(out, modulusBytes(publicKey));
            } catch (GeneralSecurityException e) {
                throw new TokenFailure(e);
            }
        }

        /** Carries a token failure through Bouncy Castle's unchecked interface. */
        static final class TokenFailure extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final transient GeneralSecurityException failure;

            TokenFailure(GeneralSecurityException failure) {
                super(failure);
                this.failure = failure;
            }
        }
    }
}
