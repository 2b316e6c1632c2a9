package io.kms4j.server;

import io.kms4j.ValidationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The access keys the server accepts: access key id → secret access key. With credentials configured, the
 * server verifies every request's AWS Signature Version 4 against them and refuses the rest; without, it runs
 * in dev mode and accepts any request.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Secrets are copied in, never shown by {@link #toString()}, and overwritten by {@link #destroy()}.
 *   <li>Secrets are read from files or environment variables by the command line, never from its arguments.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent reads; {@link #destroy()} should run only after the server stopped.
 */
public final class SigV4Credentials {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,128}");

    private final Map<String, byte[]> secrets;

    private SigV4Credentials(Map<String, byte[]> secrets) {
        this.secrets = secrets;
    }

    /**
     * One access key.
     *
     * @param secretAccessKey copied; the caller wipes its own array
     * @throws ValidationException when the id is malformed or the secret is empty
     */
    public static SigV4Credentials of(String accessKeyId, char[] secretAccessKey) {
        return builder().add(accessKeyId, secretAccessKey).build();
    }

    /** A builder for several access keys. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads access keys from a file of lines {@code ACCESS_KEY_ID SECRET_ACCESS_KEY} (separated by spaces or a
     * tab; blank lines and lines starting with {@code #} are skipped). The file should be readable by its owner
     * only.
     *
     * @throws ValidationException when the file cannot be read, holds a malformed line, or no key; the message
     *     names the file and line number, never a secret
     */
    public static SigV4Credentials fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ValidationException("cannot read the credentials file " + file + ": " + e.getMessage(), e);
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        Builder b = builder();
        int line = 0;
        int start = 0;
        char[] all = new char[chars.remaining()];
        chars.get(all);
        Arrays.fill(chars.array(), '\0');
        try {
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    line++;
                    addLine(b, all, start, i, file, line);
                    start = i + 1;
                }
            }
        } finally {
            Arrays.fill(all, '\0');
        }
        if (b.secrets.isEmpty()) {
            throw new ValidationException("the credentials file " + file + " holds no access key");
        }
        return b.build();
    }

    private static void addLine(Builder b, char[] all, int from, int to, Path file, int line) {
        int end = to;
        while (end > from && Character.isWhitespace(all[end - 1])) {
            end--;
        }
        int begin = from;
        while (begin < end && Character.isWhitespace(all[begin])) {
            begin++;
        }
        if (begin == end || all[begin] == '#') {
            return;
        }
        int gap = begin;
        while (gap < end && !Character.isWhitespace(all[gap])) {
            gap++;
        }
        int secretStart = gap;
        while (secretStart < end && Character.isWhitespace(all[secretStart])) {
            secretStart++;
        }
        if (secretStart == end) {
            throw new ValidationException(file + " line " + line + ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY");
        }
        for (int i = secretStart; i < end; i++) {
            if (Character.isWhitespace(all[i])) {
                throw new ValidationException(file + " line " + line + ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY");
            }
        }
        char[] secret = Arrays.copyOfRange(all, secretStart, end);
        try {
            b.add(new String(all, begin, gap - begin), secret);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** The configured access key ids. */
    public Set<String> accessKeyIds() {
        return secrets.keySet();
    }

    /**
     * The SigV4 key-derivation seed for an access key: the UTF-8 bytes of {@code "AWS4" + secret}, a fresh copy
     * the caller wipes; null when the id is unknown.
     */
    byte[] signingSeed(String accessKeyId) {
        byte[] seed = secrets.get(accessKeyId);
        return seed == null ? null : seed.clone();
    }

    /** Overwrites every secret. The credentials verify nothing afterwards. */
    public void destroy() {
        secrets.values().forEach(s -> Arrays.fill(s, (byte) 0));
    }

    /** Names the access key ids only. */
    @Override
    public String toString() {
        return "SigV4Credentials" + secrets.keySet();
    }

    /** Builds {@link SigV4Credentials}. Thread safety: not thread-safe; confine a builder to one thread. */
    public static final class Builder {
        private final Map<String, byte[]> secrets = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds an access key.
         *
         * @param secretAccessKey copied; the caller wipes its own array
         * @throws ValidationException when the id is malformed or repeated, or the secret is empty
         */
        public Builder add(String accessKeyId, char[] secretAccessKey) {
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId == null || !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
                throw new ValidationException("malformed access key id");
            }
            if (secretAccessKey.length == 0) {
                throw new ValidationException("the secret access key of " + accessKeyId + " is empty");
            }
            if (secrets.containsKey(accessKeyId)) {
                throw new ValidationException("access key id " + accessKeyId + " is given twice");
            }
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secretAccessKey));
            byte[] seed = new byte[4 + encoded.remaining()];
            seed[0] = 'A';
            seed[1] = 'W';
            seed[2] = 'S';
            seed[3] = '4';
            encoded.get(seed, 4, encoded.remaining());
            Arrays.fill(encoded.array(), (byte) 0);
            secrets.put(accessKeyId, seed);
            return this;
        }

        /**
         * Makes the credentials.
         *
         * @throws ValidationException when no access key was added
         */
        public SigV4Credentials build() {
            if (secrets.isEmpty()) {
                throw new ValidationException("no access key given");
            }
            return new SigV4Credentials(new LinkedHashMap<>(secrets));
        }
    }
}
