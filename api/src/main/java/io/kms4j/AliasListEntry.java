package io.kms4j;

import java.util.Objects;

/**
 * One alias in a {@code ListAliases} page.
 *
 * @param aliasName the alias, always starting with {@code alias/}
 * @param aliasArn the alias's full identifier
 * @param targetKeyId the short id of the key the alias points to
 *
 * <p>Thread safety: immutable.
 */
public record AliasListEntry(String aliasName, String aliasArn, String targetKeyId) {
    /** Checks that every component is present. */
    public AliasListEntry {
        Objects.requireNonNull(aliasName, "aliasName");
        Objects.requireNonNull(aliasArn, "aliasArn");
        Objects.requireNonNull(targetKeyId, "targetKeyId");
    }
}
