package io.kms4j.server;

import io.kms4j.server.internal.WireError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request, as AWS does for header-signed requests, for the {@code kms}
 * service: parses the {@code Authorization} header, rebuilds the canonical request from the headers the client
 * says it signed (in its order, values trimmed and inner whitespace collapsed), the raw path and query and the
 * SHA-256 of the body, derives the signing key from the secret and the credential scope, and compares the
 * signatures in constant time. The request time must be within 15 minutes of the server's clock; any region
 * is accepted.
 *
 * <p>Failures are AWS's: {@code MissingAuthenticationTokenException} (no Authorization header),
 * {@code IncompleteSignatureException} (malformed), {@code UnrecognizedClientException} (unknown access key),
 * {@code InvalidSignatureException} (wrong signature, wrong service, expired).
 *
 * <p>Thread safety: immutable; safe for concurrent use.
 */
final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String SERVICE = "kms";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final SigV4Credentials credentials;
    private final Clock clock;

    SigV4Verifier(SigV4Credentials credentials, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a request.
     *
     * @param headers every header, names in lower case, values in the order received
     * @param rawPath the path exactly as on the request line (still percent-encoded)
     * @param rawQuery the raw query string, or null
     * @return the access key id the request was signed with
     * @throws WireError when the request is not validly signed with a configured key
     */
    String verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String authorization = single(headers, "authorization");
        if (authorization == null) {
            throw new WireError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Authorization auth = Authorization.parse(authorization);
        if (!SERVICE.equals(auth.service)) {
            throw invalidSignature("Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        String amzDate = single(headers, "x-amz-date");
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                    + "Authorization=" + ALGORITHM);
        }
        Instant requestTime;
        try {
            requestTime = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date is not of the form yyyyMMddTHHmmssZ");
        }
        if (!amzDate.startsWith(auth.date)) {
            throw invalidSignature("Credential should be scoped to a valid date; the scope date " + auth.date
                    + " is not the date of X-Amz-Date " + amzDate + ".");
        }
        Instant now = clock.instant();
        if (requestTime.isBefore(now.minus(MAX_SKEW))) {
            throw invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (requestTime.isAfter(now.plus(MAX_SKEW))) {
            throw invalidSignature("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
        if (!auth.signedHeaders.contains("host")) {
            throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (headers.containsKey("x-amz-security-token") && !auth.signedHeaders.contains("x-amz-security-token")) {
            throw invalidSignature("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String payloadHash = HEX.formatHex(sha256(body));
        String declaredHash = single(headers, "x-amz-content-sha256");
        if (declaredHash != null && !declaredHash.equalsIgnoreCase(payloadHash)) {
            throw invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        byte[] seed = credentials.signingSeed(auth.accessKeyId);
        if (seed == null) {
            throw new WireError(400, "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }
        String canonicalRequest = method + '\n' + canonicalUri(rawPath) + '\n' + canonicalQuery(rawQuery) + '\n'
                + canonicalHeaders(auth.signedHeaders, headers) + '\n' + auth.signedHeadersText + '\n' + payloadHash;
        String scope = auth.date + '/' + auth.region + '/' + auth.service + "/aws4_request";
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = seed;
        try {
            for (String part : new String[] {auth.date, auth.region, auth.service, "aws4_request"}) {
                byte[] next = hmac(key, part);
                Arrays.fill(key, (byte) 0);
                key = next;
            }
            byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
            byte[] given = auth.signature.getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, given)) {
                throw invalidSignature("The request signature we calculated does not match the signature you "
                        + "provided. Check your AWS Secret Access Key and signing method. Consult the service "
                        + "documentation for details.");
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        return auth.accessKeyId;
    }

    /**
     * The access key id an {@code Authorization} header claims, without verifying anything; null when there is
     * no parseable header. Used to record who the caller says it is in dev mode.
     */
    static String claimedAccessKeyId(String authorization) {
        if (authorization == null) {
            return null;
        }
        try {
            return Authorization.parse(authorization).accessKeyId;
        } catch (WireError e) {
            return null;
        }
    }

    private static String canonicalHeaders(List<String> signed, Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null) {
                throw incomplete("The signed header '" + name + "' is not in the request.");
            }
            out.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(values.get(i).strip().replaceAll("\\s+", " "));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Every path segment URI-encoded once more (the rule for every service but S3); "/" when empty. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(uriEncode(segments[i]));
        }
        return out.toString();
    }

    /** Parameters decoded, re-encoded the SigV4 way, and sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    private static String percentDecode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw incomplete("The query string is not validly percent-encoded.");
        }
    }

    /** RFC 3986 encoding: unreserved characters kept, every other UTF-8 byte as %XX (upper-case hex). */
    static String uriEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String single(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static WireError incomplete(String message) {
        return new WireError(400, "IncompleteSignatureException", message);
    }

    private static WireError invalidSignature(String message) {
        return new WireError(400, "InvalidSignatureException", message);
    }

    /** The parts of an {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…} header. */
    private static final class Authorization {
        final String accessKeyId;
        final String date;
        final String region;
        final String service;
        final String signedHeadersText;
        final List<String> signedHeaders;
        final String signature;

        private Authorization(String[] scope, String signedHeadersText, String signature) {
            this.accessKeyId = scope[0];
            this.date = scope[1];
            this.region = scope[2];
            this.service = scope[3];
            this.signedHeadersText = signedHeadersText;
            this.signedHeaders = List.of(signedHeadersText.split(";"));
            this.signature = signature;
        }

        static Authorization parse(String header) {
            if (!header.startsWith(ALGORITHM + " ")) {
                throw incomplete("Authorization header requires the " + ALGORITHM + " algorithm.");
            }
            String credential = null;
            String signedHeaders = null;
            String signature = null;
            for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw incomplete("Authorization header has a malformed component.");
                }
                String name = p.substring(0, eq);
                String value = p.substring(eq + 1);
                switch (name) {
                    case "Credential": credential = value; break;
                    case "SignedHeaders": signedHeaders = value; break;
                    case "Signature": signature = value; break;
                    default: throw incomplete("Authorization header has an unknown component '" + name + "'.");
                }
            }
            if (credential == null || signedHeaders == null || signature == null) {
                throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
            }
            String[] scope = credential.split("/", -1);
            if (scope.length != 5 || !"aws4_request".equals(scope[4]) || scope[0].isEmpty()
                    || !scope[1].matches("\\d{8}") || scope[2].isEmpty() || scope[3].isEmpty()) {
                throw incomplete("Credential should be of the form ACCESS_KEY/yyyyMMdd/region/service/aws4_request.");
            }
            if (!signedHeaders.matches("[a-z0-9-]+(;[a-z0-9-]+)*")) {
                throw incomplete("SignedHeaders should be lower-case header names separated by ';'.");
            }
            if (!signature.matches("[0-9a-f]{64}")) {
                throw incomplete("Signature should be 64 lower-case hexadecimal digits.");
            }
            return new Authorization(scope, signedHeaders, signature);
        }
    }
}
