package io.kms4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kms4j.server.internal.WireError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier against a reference vector signed by botocore's own SigV4 signer (the AWS CLI's signing code) at a
 * fixed time, and against every way that request can be spoiled. End-to-end checks with the AWS SDK and the AWS
 * CLI signing live requests are in {@link KmsHttpServerSdkTest} and {@link AwsCliWalkthroughTest}.
 */
class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2024-05-01T12:00:00Z");
    private static final String BODY = "{\"KeyId\": \"alias/test\", \"Plaintext\": \"aGVsbG8=\"}";
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/kms/"
            + "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            + "Signature=dc012fd43ebd0e12b9c2aa219bbe892c1bb5b267689671701ad1c2f1f3af2f7a";

    private static Map<String, List<String>> headers() {
        Map<String, List<String>> h = new HashMap<>();
        h.put("host", List.of("127.0.0.1:4599"));
        h.put("content-type", List.of("application/x-amz-json-1.1"));
        h.put("x-amz-target", List.of("TrentService.Encrypt"));
        h.put("x-amz-date", List.of("20240501T120000Z"));
        h.put("x-amz-security-token", List.of("SESSIONTOKEN=="));
        h.put("authorization", List.of(AUTHORIZATION));
        return h;
    }

    private static SigV4Verifier verifierAt(Instant now, String secret) {
        return new SigV4Verifier(SigV4Credentials.of("AKIDEXAMPLE", secret.toCharArray()),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String verify(SigV4Verifier v, Map<String, List<String>> headers, String body) {
        return v.verify("POST", "/", null, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String errorOf(SigV4Verifier v, Map<String, List<String>> headers, String body) {
        return assertThrows(WireError.class, () -> verify(v, headers, body)).type();
    }

    @Test
    public void verify_botocoreReferenceVector_accepted() {
        assertEquals("AKIDEXAMPLE", verify(verifierAt(SIGNED_AT, SECRET), headers(), BODY));
    }

    @Test
    public void verify_withinFifteenMinutes_accepted() {
        assertEquals("AKIDEXAMPLE", verify(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(14)), SECRET), headers(), BODY));
        assertEquals("AKIDEXAMPLE", verify(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(14)), SECRET), headers(), BODY));
    }

    @Test
    public void verify_tamperedBody_invalidSignature() {
        assertEquals("InvalidSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), headers(),
                BODY.replace("aGVsbG8=", "aGVsbG9=")));
    }

    @Test
    public void verify_tamperedSignedHeader_invalidSignature() {
        Map<String, List<String>> h = headers();
        h.put("x-amz-target", List.of("TrentService.Decrypt"));
        assertEquals("InvalidSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY));
    }

    @Test
    public void verify_wrongSecret_invalidSignatureWithAwsMessage() {
        WireError e = assertThrows(WireError.class, () -> verify(verifierAt(SIGNED_AT, SECRET + "x"), headers(), BODY));
        assertEquals("InvalidSignatureException", e.type());
        assertTrue(e.getMessage().startsWith("The request signature we calculated does not match"), e.getMessage());
        assertEquals(400, e.status());
    }

    @Test
    public void verify_unknownAccessKey_unrecognizedClient() {
        SigV4Verifier other = new SigV4Verifier(SigV4Credentials.of("SOMEONEELSE", SECRET.toCharArray()),
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        assertEquals("UnrecognizedClientException", errorOf(other, headers(), BODY));
    }

    @Test
    public void verify_moreThanFifteenMinutesOff_signatureExpiredOrNotYetCurrent() {
        WireError late = assertThrows(WireError.class,
                () -> verify(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(16)), SECRET), headers(), BODY));
        assertEquals("InvalidSignatureException", late.type());
        assertTrue(late.getMessage().startsWith("Signature expired"), late.getMessage());
        WireError early = assertThrows(WireError.class,
                () -> verify(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16)), SECRET), headers(), BODY));
        assertTrue(early.getMessage().startsWith("Signature not yet current"), early.getMessage());
    }

    @Test
    public void verify_missingAuthorization_missingAuthenticationToken() {
        Map<String, List<String>> h = headers();
        h.remove("authorization");
        assertEquals("MissingAuthenticationTokenException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY));
    }

    @Test
    public void verify_malformedAuthorization_incompleteSignature() {
        for (String bad : List.of("Basic dXNlcjpwYXNz", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE",
                AUTHORIZATION.replace("/aws4_request", ""), AUTHORIZATION.replace("Signature=dc", "Signature=DC"),
                AUTHORIZATION.replace("SignedHeaders=content-type", "SignedHeaders=Content-Type"))) {
            Map<String, List<String>> h = headers();
            h.put("authorization", List.of(bad));
            assertEquals("IncompleteSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY), bad);
        }
    }

    @Test
    public void verify_otherServiceInScope_invalidSignature() {
        Map<String, List<String>> h = headers();
        h.put("authorization", List.of(AUTHORIZATION.replace("/kms/", "/s3/")));
        assertEquals("InvalidSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY));
    }

    @Test
    public void verify_unsignedSecurityToken_invalidSignature() {
        Map<String, List<String>> h = headers();
        h.put("authorization", List.of(AUTHORIZATION.replace(";x-amz-security-token", "")));
        assertEquals("InvalidSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY));
    }

    @Test
    public void verify_declaredPayloadHashDiffers_invalidSignature() {
        Map<String, List<String>> h = headers();
        h.put("x-amz-content-sha256", List.of("0".repeat(64)));
        assertEquals("InvalidSignatureException", errorOf(verifierAt(SIGNED_AT, SECRET), h, BODY));
    }

    @Test
    public void canonicalUriAndQuery_encodedTheSigV4Way() {
        assertEquals("/", SigV4Verifier.canonicalUri(""));
        assertEquals("/", SigV4Verifier.canonicalUri("/"));
        assertEquals("/some/path", SigV4Verifier.canonicalUri("/some/path"));
        assertEquals("/a%2520b", SigV4Verifier.canonicalUri("/a%20b"));
        assertEquals("", SigV4Verifier.canonicalQuery(null));
        assertEquals("a=1&b=x%20y&b=z", SigV4Verifier.canonicalQuery("b=z&a=1&b=x%20y"));
    }

    @Test
    public void credentials_toStringAndDestroy_neverRevealSecret() {
        SigV4Credentials c = SigV4Credentials.of("AKIDEXAMPLE", SECRET.toCharArray());
        assertTrue(!c.toString().contains(SECRET) && c.toString().contains("AKIDEXAMPLE"));
        c.destroy();
        assertEquals("InvalidSignatureException", errorOf(new SigV4Verifier(c, Clock.fixed(SIGNED_AT,
                ZoneOffset.UTC)), headers(), BODY), "a destroyed secret verifies nothing");
    }
}
