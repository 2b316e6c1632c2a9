package io.kms4j.audit;

import java.util.Objects;

/**
 * One entry of an audit event's {@code resources}: a key the call touched.
 *
 * @param arn the key's full identifier (an AWS ARN or a provider key URI; as given when the key was not found)
 * @param type always {@code "AWS::KMS::Key"}, as CloudTrail writes it
 *
 * <p>Thread safety: immutable.
 */
public record AuditResource(String arn, String type) {
    /** The CloudTrail resource type of a KMS key. */
    public static final String KEY_TYPE = "AWS::KMS::Key";

    /** Checks that both components are present. */
    public AuditResource {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(type, "type");
    }

    /** A key resource. */
    public static AuditResource key(String arn) {
        return new AuditResource(arn, KEY_TYPE);
    }
}
