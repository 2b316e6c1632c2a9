package io.kms4j.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code userIdentity} of an audit event, shaped like CloudTrail's.
 *
 * @param type the kind of identity: {@code "LocalUser"} for in-process calls, {@code "AccessKey"} for a
 *     SigV4-verified server caller, {@code "Anonymous"} for an unverified server caller in dev mode
 * @param principalId who it is (an OS user name, an access key id, or {@code "anonymous"})
 * @param accessKeyId the AWS access key id the request was signed with, or null
 *
 * <p>Thread safety: immutable.
 */
public record CallerIdentity(String type, String principalId, String accessKeyId) {
    /** Checks that type and principal are present. */
    public CallerIdentity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(principalId, "principalId");
    }

    /** An in-process caller running as an OS user. */
    public static CallerIdentity localUser(String userName) {
        return new CallerIdentity("LocalUser", userName, null);
    }

    /** A remote caller whose SigV4 signature was verified with this access key id. */
    public static CallerIdentity accessKey(String accessKeyId) {
        return new CallerIdentity("AccessKey", accessKeyId, accessKeyId);
    }

    /** A remote caller whose signature was not verified (the server's dev mode). */
    public static CallerIdentity anonymous(String claimedAccessKeyId) {
        return new CallerIdentity("Anonymous", "anonymous", claimedAccessKeyId);
    }

    /** The CloudTrail-shaped JSON object. */
    Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("principalId", principalId);
        if (accessKeyId != null) {
            m.put("accessKeyId", accessKeyId);
        }
        return m;
    }
}
