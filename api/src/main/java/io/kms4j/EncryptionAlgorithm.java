package io.kms4j;

/** The encryption algorithm of a symmetric key, named as AWS KMS names it. Thread safety: immutable. */
public enum EncryptionAlgorithm {
    /** AES-256-GCM with a fresh 96-bit IV per call: the only symmetric algorithm, as in AWS KMS. */
    SYMMETRIC_DEFAULT
}
