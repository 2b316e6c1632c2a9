package io.kms4j;

/**
 * The length of a generated data key, named as AWS KMS names it. Thread safety: immutable enum constants.
 */
public enum DataKeySpec {
    /** A 256-bit key: 32 bytes. The recommended choice. */
    AES_256(32),
    /** A 128-bit key: 16 bytes. */
    AES_128(16);

    private final int lengthInBytes;

    DataKeySpec(int lengthInBytes) {
        this.lengthInBytes = lengthInBytes;
    }

    /** The key length in bytes. */
    public int lengthInBytes() {
        return lengthInBytes;
    }
}
