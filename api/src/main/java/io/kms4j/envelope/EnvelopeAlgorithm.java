package io.kms4j.envelope;

/**
 * The algorithm suites of the envelope message format; the suite's id is byte 4 of every message.
 *
 * <p>Thread safety: immutable enum constants.
 */
public enum EnvelopeAlgorithm {
    /**
     * AES-256-GCM on the JDK's provider with 128-bit tags; a 256-bit data key from the KMS; HKDF-SHA-256 (RFC
     * 5869) derives the content key and a 256-bit key commitment from the data key and a hash of the header, so
     * a message can only ever decrypt to one plaintext. Frame IVs are deterministic (message number, frame index,
     * frame type), never random; see {@code docs/FORMATS.md}.
     */
    AES_256_GCM_HKDF_SHA256_COMMIT(1, 32);

    private final int id;
    private final int dataKeyLength;

    EnvelopeAlgorithm(int id, int dataKeyLength) {
        this.id = id;
        this.dataKeyLength = dataKeyLength;
    }

    /** The suite's id in the message header. */
    public int id() {
        return id;
    }

    /** The length of the data key the KMS generates, in bytes. */
    public int dataKeyLength() {
        return dataKeyLength;
    }
}
