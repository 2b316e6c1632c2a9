package io.kms4j.local;

/**
 * Argon2id cost parameters for deriving the keystore key from a passphrase; stored in the keystore header so
 * a keystore always opens with the parameters it was made with.
 *
 * @param memoryKiB memory cost in KiB
 * @param iterations time cost
 * @param parallelism lanes
 *
 * <p>Thread safety: immutable.
 */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /**
     * The default: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended setting, with one lane because
     * Bouncy Castle computes lanes sequentially).
     */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);

    /** Cheap parameters for tests only: still Argon2id, but fast. */
    public static final KdfParameters FOR_TESTS = new KdfParameters(1024, 1, 1);

    /** Rejects parameters too weak to mean anything or too large to be sane. */
    public KdfParameters {
        if (memoryKiB < 1024 || memoryKiB > 4 * 1024 * 1024) {
            throw new IllegalArgumentException("Argon2id memory must be 1 MiB to 4 GiB");
        }
        if (iterations < 1 || iterations > 100) {
            throw new IllegalArgumentException("Argon2id iterations must be 1 to 100");
        }
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2id parallelism must be 1 to 16");
        }
    }
}
