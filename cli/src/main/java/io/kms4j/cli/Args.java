package io.kms4j.cli;

import io.kms4j.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads argument values the way the AWS CLI does: {@code fileb://PATH} for raw bytes, {@code file://PATH} for
 * text, base64 for blobs given inline, and {@code k=v,k2=v2} or JSON for encryption contexts.
 */
final class Args {
    private Args() {
    }

    /**
     * A plaintext argument: {@code fileb://PATH} (raw bytes), {@code file://PATH} (the file's bytes), or the
     * text itself in UTF-8 (as the AWS CLI with {@code --cli-binary-format raw-in-base64-out}).
     */
    static byte[] plaintext(String value) {
        if (value.startsWith("fileb://") || value.startsWith("file://")) {
            return readFile(value.substring(value.indexOf("://") + 3));
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** A blob argument: {@code fileb://PATH} (raw bytes) or base64 text, as the AWS CLI v2 takes blobs. */
    static byte[] blob(String name, String value) {
        if (value.startsWith("fileb://")) {
            return readFile(value.substring("fileb://".length()));
        }
        String text = value.startsWith("file://") ? new String(readFile(value.substring(7)), StandardCharsets.UTF_8)
                : value;
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.VALIDATION, name + " is not valid base64 (use fileb://PATH for a "
                    + "binary file)");
        }
    }

    /** An encryption context: {@code k=v,k2=v2}, or a JSON object of strings. */
    static Map<String, String> context(String value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return map;
        }
        String text = value.trim();
        if (text.startsWith("{")) {
            Map<String, Object> parsed;
            try {
                parsed = Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.VALIDATION, "--encryption-context is not valid JSON: " + e.getMessage());
            }
            for (Map.Entry<String, Object> e : parsed.entrySet()) {
                if (!(e.getValue() instanceof String)) {
                    throw new CliException(ExitCodes.VALIDATION, "encryption context values must be strings");
                }
                map.put(e.getKey(), (String) e.getValue());
            }
            return map;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCodes.VALIDATION, "--encryption-context takes k=v,k2=v2 or JSON; got '"
                        + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    private static byte[] readFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
