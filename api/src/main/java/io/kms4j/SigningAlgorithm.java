package io.kms4j;

import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A signature algorithm, named as AWS KMS names it. Thread safety: immutable enum constants.
 *
 * <p>RSASSA-PSS uses MGF1 with the same hash as the message and a salt as long as the hash, as AWS KMS does, so a
 * signature made by any kms4j backend verifies with {@link #pssParameters()} in plain JCA code.
 */
public enum SigningAlgorithm {
    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt. */
    RSASSA_PSS_SHA_256(Family.RSA_PSS, "SHA-256", 32),
    /** RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt. */
    RSASSA_PSS_SHA_384(Family.RSA_PSS, "SHA-384", 48),
    /** RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt. */
    RSASSA_PSS_SHA_512(Family.RSA_PSS, "SHA-512", 64),
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RSASSA_PKCS1_V1_5_SHA_256(Family.RSA_PKCS1, "SHA-256", 32),
    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RSASSA_PKCS1_V1_5_SHA_384(Family.RSA_PKCS1, "SHA-384", 48),
    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RSASSA_PKCS1_V1_5_SHA_512(Family.RSA_PKCS1, "SHA-512", 64),
    /** ECDSA with SHA-256, for P-256 keys; the signature is DER-encoded (r, s). */
    ECDSA_SHA_256(Family.ECDSA, "SHA-256", 32),
    /** ECDSA with SHA-384, for P-384 keys; the signature is DER-encoded (r, s). */
    ECDSA_SHA_384(Family.ECDSA, "SHA-384", 48);

    /** The kind of signature scheme. */
    public enum Family {
        /** RSASSA-PSS (RFC 8017, section 8.1). */
        RSA_PSS,
        /** RSASSA-PKCS1-v1_5 (RFC 8017, section 8.2). */
        RSA_PKCS1,
        /** ECDSA (FIPS 186-5) with DER-encoded signatures. */
        ECDSA
    }

    private final Family family;
    private final String digestAlgorithm;
    private final int digestLength;

    SigningAlgorithm(Family family, String digestAlgorithm, int digestLength) {
        this.family = family;
        this.digestAlgorithm = digestAlgorithm;
        this.digestLength = digestLength;
    }

    /** The signature scheme. */
    public Family family() {
        return family;
    }

    /** The JCA name of the message digest, for example {@code "SHA-256"}. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The digest length in bytes: what a {@link MessageType#DIGEST} message must be. */
    public int digestLength() {
        return digestLength;
    }

    /**
     * The JCA {@link java.security.Signature} name that signs a raw message with this algorithm, for example
     * {@code "SHA256withECDSA"}; for RSASSA-PSS it is {@code "RSASSA-PSS"}, configured with
     * {@link #pssParameters()}.
     */
    public String jcaName() {
        String hash = digestAlgorithm.replace("-", "");
        switch (family) {
            case RSA_PSS:
                return "RSASSA-PSS";
            case RSA_PKCS1:
                return hash + "withRSA";
            default:
                return hash + "withECDSA";
        }
    }

    /** The PSS parameters of an RSASSA-PSS algorithm; null for the others. */
    public PSSParameterSpec pssParameters() {
        if (family != Family.RSA_PSS) {
            return null;
        }
        return new PSSParameterSpec(digestAlgorithm, "MGF1", new MGF1ParameterSpec(digestAlgorithm), digestLength,
                PSSParameterSpec.TRAILER_FIELD_BC);
    }

    /** Whether keys of {@code spec} sign with this algorithm. */
    public boolean fits(KeySpec spec) {
        switch (spec) {
            case RSA_2048:
            case RSA_3072:
            case RSA_4096:
                return family != Family.ECDSA;
            case ECC_NIST_P256:
                return this == ECDSA_SHA_256;
            case ECC_NIST_P384:
                return this == ECDSA_SHA_384;
            default:
                return false;
        }
    }

    /** The algorithms keys of {@code spec} sign with, in declaration order; empty for symmetric keys. */
    public static List<SigningAlgorithm> forKeySpec(KeySpec spec) {
        List<SigningAlgorithm> out = new ArrayList<>();
        for (SigningAlgorithm a : values()) {
            if (a.fits(spec)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }
}
