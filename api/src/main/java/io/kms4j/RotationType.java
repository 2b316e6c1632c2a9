package io.kms4j;

/** How a key version came to be. Thread safety: immutable enum constants. */
public enum RotationType {
    /** Made by automatic rotation when the rotation period elapsed. */
    AUTOMATIC,
    /** Made by an explicit RotateKeyOnDemand call. */
    ON_DEMAND
}
