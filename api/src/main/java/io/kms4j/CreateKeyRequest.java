package io.kms4j;

/**
 * The parameters of {@code CreateKey}. Null components take their defaults: no description,
 * {@link KeyUsage#ENCRYPT_DECRYPT}, {@link KeySpec#SYMMETRIC_DEFAULT}.
 *
 * <p>Constraints (description at most 8192 characters, usage and spec that fit together) are checked by
 * {@link Kms#createKey(CreateKeyRequest)} inside the audited call, so a refused request still leaves an audit
 * event.
 *
 * @param description a free-text description, not secret (it is logged); may be empty
 * @param keyUsage what the key may be used for
 * @param keySpec the key's type
 *
 * <p>Thread safety: immutable.
 */
public record CreateKeyRequest(String description, KeyUsage keyUsage, KeySpec keySpec) {
    /** The longest description accepted, as in AWS KMS. */
    public static final int MAX_DESCRIPTION_LENGTH = 8192;

    /** Fills in the defaults for null components. */
    public CreateKeyRequest {
        description = description == null ? "" : description;
        keyUsage = keyUsage == null ? KeyUsage.ENCRYPT_DECRYPT : keyUsage;
        keySpec = keySpec == null ? KeySpec.SYMMETRIC_DEFAULT : keySpec;
    }

    /** An AES-256 encryption key with no description. */
    public static CreateKeyRequest defaults() {
        return new CreateKeyRequest(null, null, null);
    }

    /** An AES-256 encryption key with the given description. */
    public static CreateKeyRequest withDescription(String description) {
        return new CreateKeyRequest(description, null, null);
    }
}
