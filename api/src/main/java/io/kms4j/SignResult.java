package io.kms4j;

import java.util.Objects;

/**
 * The result of {@code Sign}: the signature and the key and algorithm that made it. Nothing here is secret.
 *
 * <p>Thread safety: immutable (the signature is copied in and out).
 */
public final class SignResult {
    private final String keyId;
    private final byte[] signature;
    private final SigningAlgorithm signingAlgorithm;

    private SignResult(String keyId, byte[] signature, SigningAlgorithm signingAlgorithm) {
        this.keyId = keyId;
        this.signature = signature.clone();
        this.signingAlgorithm = signingAlgorithm;
    }

    /**
     * Makes a result holding a copy of {@code signature}.
     *
     * @param keyId the full identifier (ARN or key URI) of the signing key
     */
    public static SignResult of(String keyId, byte[] signature, SigningAlgorithm signingAlgorithm) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
        return new SignResult(keyId, signature, signingAlgorithm);
    }

    /** The full identifier of the signing key. */
    public String keyId() {
        return keyId;
    }

    /** A copy of the signature: DER-encoded for ECDSA, the RSA signature block for RSA. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The algorithm that made the signature. */
    public SigningAlgorithm signingAlgorithm() {
        return signingAlgorithm;
    }

    @Override
    public String toString() {
        return "SignResult[keyId=" + keyId + ", signingAlgorithm=" + signingAlgorithm + ", signature="
                + signature.length + " bytes]";
    }
}
