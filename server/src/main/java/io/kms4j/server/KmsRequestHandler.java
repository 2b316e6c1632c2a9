package io.kms4j.server;

import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.audit.CallerContext;
import io.kms4j.audit.CallerIdentity;
import io.kms4j.internal.Json;
import io.kms4j.server.internal.KmsOperations;
import io.kms4j.server.internal.RequestFields;
import io.kms4j.server.internal.WireError;
import io.kms4j.server.internal.WireResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers one KMS JSON 1.1 request: reads the body (up to the size limit), authenticates it (SigV4, or any
 * request in dev mode), routes {@code X-Amz-Target} to the operation, runs it on the per-request
 * {@link Kms#forCaller caller view} so the audit event records the caller's address and user agent, and writes
 * AWS's JSON response or error. Whatever the request, the server answers it and stays up.
 *
 * <p>Thread safety: immutable; Jetty calls it from its pool threads concurrently.
 */
final class KmsRequestHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(KmsHttpServer.class.getName());
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final Kms kms;
    private final KmsOperations operations = new KmsOperations();
    private final SigV4Verifier verifier;
    private final int maxBodyBytes;

    /**
     * @param verifier the SigV4 verifier, or null for dev mode (accept any request)
     */
    KmsRequestHandler(Kms kms, SigV4Verifier verifier, int maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.kms = kms;
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        String remote = Request.getRemoteAddr(request);
        String userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
        int status;
        WireResponse out;
        boolean closeConnection = false;
        try {
            out = answer(request, remote, userAgent == null ? "" : userAgent);
            status = 200;
        } catch (WireError e) {
            status = e.status();
            out = WireResponse.error(e.type(), e.getMessage());
            closeConnection = status == 413; // the unread rest of the body cannot be trusted to be skipped
            LOG.log(System.Logger.Level.INFO, () -> "refused a request from " + remote + " (" + userAgent + "): "
                    + e.type() + ": " + e.getMessage());
        } catch (KmsException e) {
            // kms4j refused or failed the call; the Kms view has audited it.
            status = e.errorCode().httpStatus();
            out = WireResponse.error(e.awsErrorCode(), e.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            out = WireResponse.error("KMSInternalException", "The server failed internally; request id "
                    + requestId + " is in its log.");
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " from " + remote + " failed internally", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put("x-amzn-RequestId", requestId);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.body().length);
        if (closeConnection) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        WireResponse sent = out;
        response.write(true, ByteBuffer.wrap(sent.body()), Callback.from(() -> {
            sent.wipe();
            callback.succeeded();
        }, failure -> {
            sent.wipe();
            callback.failed(failure);
        }));
        return true;
    }

    private WireResponse answer(Request request, String remote, String userAgent) {
        if (!"POST".equals(request.getMethod())) {
            throw WireError.unknownOperation("KMS operations are POST requests, not " + request.getMethod() + ".");
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw WireError.tooLarge(maxBodyBytes);
        }
        byte[] body = readBody(request);
        try {
            Map<String, List<String>> headers = headers(request);
            CallerIdentity identity = authenticate(request, headers, body);
            String operation = operations.operationFor(first(headers, "x-amz-target"));
            Map<String, Object> json = parse(body);
            Kms caller = kms.forCaller(new CallerContext(identity, remote, userAgent));
            return operations.invoke(operation, caller, new RequestFields(json));
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    private CallerIdentity authenticate(Request request, Map<String, List<String>> headers, byte[] body) {
        if (verifier == null) {
            return CallerIdentity.anonymous(SigV4Verifier.claimedAccessKeyId(first(headers, "authorization")));
        }
        String accessKeyId = verifier.verify(request.getMethod(), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), headers, body);
        return CallerIdentity.accessKey(accessKeyId);
    }

    private byte[] readBody(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                Arrays.fill(body, (byte) 0);
                throw WireError.tooLarge(maxBodyBytes);
            }
            return body;
        } catch (IOException e) {
            throw WireError.serialization("The request body could not be read: " + e.getMessage());
        }
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(field.getValue());
        }
        return headers;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as a JSON object; an empty body is an empty object, as some clients send for no input. */
    private static Map<String, Object> parse(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw WireError.serialization("The request body is not valid UTF-8.");
        }
        try {
            return Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw WireError.serialization("The request body is not a valid JSON object: " + e.getMessage() + ".");
        }
    }
}
