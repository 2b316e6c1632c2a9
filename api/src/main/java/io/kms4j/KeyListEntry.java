package io.kms4j;

import java.util.Objects;

/**
 * One key in a {@code ListKeys} page.
 *
 * @param keyId the key's short id
 * @param keyArn the key's full identifier
 *
 * <p>Thread safety: immutable.
 */
public record KeyListEntry(String keyId, String keyArn) {
    /** Checks that both components are present. */
    public KeyListEntry {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyArn, "keyArn");
    }
}
