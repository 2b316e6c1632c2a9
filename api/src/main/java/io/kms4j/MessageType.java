package io.kms4j;

/**
 * What the message of Sign and Verify is, named as AWS KMS names it. Thread safety: immutable enum constants.
 */
public enum MessageType {
    /** The message itself, at most 4096 bytes; the provider hashes it with the algorithm's digest. */
    RAW,
    /**
     * The message's digest, computed by the caller with the signing algorithm's hash; exactly
     * {@link SigningAlgorithm#digestLength()} bytes. Use it to sign data larger than 4096 bytes.
     */
    DIGEST
}
