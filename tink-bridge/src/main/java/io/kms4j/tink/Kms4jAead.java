package io.kms4j.tink;

import com.google.crypto.tink.Aead;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Tink's {@link Aead} over one kms4j key: {@code encrypt} is kms4j {@code Encrypt}, {@code decrypt} is kms4j
 * {@code Decrypt} pinned to that key. Every call therefore goes through {@link Kms}, which validates it and leaves
 * one audit event.
 *
 * <p>Associated data is bound as the encryption context {@code {"associatedData": <lowercase hex>}}, and as no
 * context at all when it is empty or null. That is the binding Tink's own AWS KMS integration uses, so a ciphertext
 * made by Tink's AWS KMS AEAD decrypts here through the kms4j AWS provider, and the other way round. The mapping is
 * one-to-one: empty and non-empty associated data never share a context.
 *
 * <p>Thread safety: immutable; safe for concurrent use (the {@link Kms} is).
 */
final class Kms4jAead implements Aead {
    /** The encryption-context key that carries Tink's associated data, as Tink's AWS KMS integration names it. */
    static final String ASSOCIATED_DATA_CONTEXT_KEY = "associatedData";

    private final Kms kms;
    private final String keyReference;

    Kms4jAead(Kms kms, String keyReference) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyReference = Objects.requireNonNull(keyReference, "keyReference");
    }

    /**
     * Encrypts with kms4j {@code Encrypt} under this AEAD's key.
     *
     * @throws GeneralSecurityException when kms4j refuses or fails (the {@link KmsException} is the cause, with
     *     its AWS error code and whether a retry can help); for example a plaintext over
     *     {@value Kms#MAX_PLAINTEXT_BYTES} bytes, a disabled key, or an unreachable backend
     */
    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        try {
            return kms.encrypt(keyReference, plaintext, encryptionContext(associatedData)).ciphertextBlob();
        } catch (KmsException e) {
            throw failure("Encrypt", e);
        }
    }

    /**
     * Decrypts with kms4j {@code Decrypt}, requiring that the ciphertext was made under this AEAD's key.
     *
     * @throws GeneralSecurityException when the ciphertext is altered or truncated, the associated data differs,
     *     the ciphertext was made under another key, or kms4j fails otherwise (the {@link KmsException} is the
     *     cause)
     */
    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        DecryptRequest request = DecryptRequest.builder()
                .ciphertextBlob(ciphertext)
                .encryptionContext(encryptionContext(associatedData))
                .keyId(keyReference)
                .build();
        try (DecryptResult result = kms.decrypt(request)) {
            return result.plaintext();
        } catch (KmsException e) {
            throw failure("Decrypt", e);
        }
    }

    /** The encryption context that stands for Tink's associated data. */
    static Map<String, String> encryptionContext(byte[] associatedData) {
        if (associatedData == null || associatedData.length == 0) {
            return Map.of();
        }
        return Map.of(ASSOCIATED_DATA_CONTEXT_KEY, HexFormat.of().formatHex(associatedData));
    }

    private GeneralSecurityException failure(String operation, KmsException e) {
        // kms4j messages name keys, never plaintext or key material, so they are safe to pass on.
        return new GeneralSecurityException("kms4j " + operation + " with key " + keyReference + " failed: "
                + e.awsErrorCode() + ": " + e.getMessage(), e);
    }

    /** Names the key; there is nothing secret here. */
    @Override
    public String toString() {
        return "Kms4jAead[" + Kms4jKmsClient.URI_PREFIX + keyReference + "]";
    }
}
