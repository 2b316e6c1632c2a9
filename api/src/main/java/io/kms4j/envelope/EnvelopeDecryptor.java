package io.kms4j.envelope;

import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.CacheCore;
import io.kms4j.envelope.internal.CacheKeys;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.DecryptingInputStream;
import io.kms4j.envelope.internal.MessageCodec;
import io.kms4j.envelope.internal.KeyDerivation;
import io.kms4j.envelope.internal.MessageFormat;
import io.kms4j.envelope.internal.PerThread;
import io.kms4j.envelope.internal.WipeableSecretKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decrypts envelope messages (see {@link EnvelopeEncryptor}).
 *
 * <h2>Which wrapping keys it may use</h2>
 * A message carries its data key wrapped under one or more KMS keys, each recorded with its provider's scheme
 * and full key identifier. The decryptor tries them in header order, and for each asks only the clients that may
 * unwrap it:
 * <ul>
 *   <li><b>Strict</b> ({@link Builder#wrappingKey}): a named key on a named client. A wrapped key qualifies when
 *       the schemes match and the key ids are equal (for a full key ARN or URI) or, for an alias or short key id,
 *       when the provider confirms it (the key id is passed to Decrypt as the expected key). Use this in
 *       production: a message wrapped under any other key is refused even if the client could decrypt it.
 *   <li><b>Discovery</b> ({@link Builder#discovery}): any key of a client's provider (same scheme); the provider
 *       decides whether it can unwrap. Convenient for tools and migrations.
 * </ul>
 * The first wrapped key that unwraps, and whose key commitment matches, wins; {@link #decryptDetailed} says
 * which. Strict and discovery entries can be mixed; strict ones are tried first.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Plaintext is returned only after every frame authenticated, the key commitment matched, and the whole
 *       message was consumed (streams: frame by frame, see {@link #decryptingStream}).
 *   <li>Every failure is typed: {@link InvalidCiphertextException} for a malformed, truncated, reordered,
 *       altered or foreign message or a different encryption context; {@link IncorrectKeyException} when no
 *       wrapped key is one this decryptor may use; the KMS's own typed error when unwrapping failed (a retryable
 *       one, such as a timeout, is preferred so callers can retry).
 *   <li>With a {@link DataKeyCache}, messages whose header data key section (algorithm, context, wrapped keys,
 *       commitment) was seen before are decrypted with no KMS call, until the entry's max age.
 * </ul>
 *
 * <p>Thread safety: immutable and safe for concurrent use; share one instance.
 */
public final class EnvelopeDecryptor {
    /** The default limit on wrapped keys per message, bounding the KMS calls a hostile header can cause. */
    public static final int DEFAULT_MAX_WRAPPED_KEYS = 16;

    private static final AtomicLong PARTITIONS = new AtomicLong(); // disjoint from encryptors' by key type
    private static final int ATTEMPTS = 8;

    private final List<WrappingKey> strictKeys;
    private final List<Kms> discoveryClients;
    private final List<String> discoverySchemes;
    private final DataKeyCache cache;
    private final CacheCore core;
    private final int maxWrappedKeys;
    private final int maxFrameLength;
    private final long partition;

    private EnvelopeDecryptor(Builder b) {
        this.strictKeys = List.copyOf(b.strictKeys);
        this.discoveryClients = List.copyOf(b.discoveryClients);
        List<String> schemes = new ArrayList<>();
        for (Kms kms : discoveryClients) {
            schemes.add(kms.providerInfo().scheme());
        }
        this.discoverySchemes = List.copyOf(schemes);
        this.cache = b.cache;
        this.core = b.cache == null ? null : b.cache.core();
        this.maxWrappedKeys = b.maxWrappedKeys;
        this.maxFrameLength = b.maxFrameLength;
        this.partition = PARTITIONS.incrementAndGet();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The result of {@link #decryptDetailed}: the plaintext and which wrapped key yielded the data key.
     *
     * <p>Thread safety: immutable except for the plaintext array, which is the caller's.
     */
    public static final class Decrypted {
        private final byte[] plaintext;
        private final WrappedKeyInfo unwrappedBy;

        Decrypted(byte[] plaintext, WrappedKeyInfo unwrappedBy) {
            this.plaintext = plaintext;
            this.unwrappedBy = unwrappedBy;
        }

        /** The plaintext (not copied: this result's array is the caller's). */
        public byte[] plaintext() {
            return plaintext;
        }

        /** The wrapped key whose unwrapping gave the data key (when the data key came from the cache, the one that
         *  gave it then). */
        public WrappedKeyInfo unwrappedBy() {
            return unwrappedBy;
        }

        @Override
        public String toString() {
            return "Decrypted[" + plaintext.length + " bytes, unwrappedBy=" + unwrappedBy + "]";
        }
    }

    /** Decrypts with an encryption context given as a map; see {@link #decrypt(byte[], EncryptionContext)}. */
    public byte[] decrypt(byte[] message, Map<String, String> context) {
        return decrypt(message, EncryptionContext.of(context));
    }

    /**
     * Decrypts a message.
     *
     * @param context the encryption context the message was encrypted with; null means empty
     * @return the plaintext
     * @throws InvalidCiphertextException when the message is malformed, truncated, altered, reordered, from
     *     another message, its key commitment does not match, or the context differs
     * @throws IncorrectKeyException when none of its wrapped keys is one this decryptor may use
     * @throws KmsException (typed) when unwrapping the data key failed at the KMS
     */
    public byte[] decrypt(byte[] message, EncryptionContext context) {
        return decrypt(message, context, null);
    }

    /**
     * Decrypts a message and says which wrapped key yielded the data key. Same guarantees and exceptions as
     * {@link #decrypt(byte[], EncryptionContext)}.
     */
    public Decrypted decryptDetailed(byte[] message, EncryptionContext context) {
        WrappedKeyInfo[] unwrappedBy = new WrappedKeyInfo[1];
        byte[] plaintext = decrypt(message, context, unwrappedBy);
        return new Decrypted(plaintext, unwrappedBy[0]);
    }

    /** The one decryption path; reports the unwrapping key through {@code unwrappedBy} when it is not null. */
    private byte[] decrypt(byte[] message, EncryptionContext context, WrappedKeyInfo[] unwrappedBy) {
        if (message == null) {
            throw new ValidationException("message is required");
        }
        EncryptionContext expected = context == null ? EncryptionContext.empty() : context;
        int sectionEnd = MessageFormat.dataKeySectionEnd(message, message.length, maxWrappedKeys);
        if (message.length < sectionEnd + MessageFormat.TAIL_LENGTH) {
            throw MessageFormat.truncated();
        }
        long messageNumber = MessageFormat.getUint32(message, sectionEnd);
        int frameLength = checkFrameLength(MessageFormat.getUint32(message, MessageFormat.FRAME_LENGTH_OFFSET));
        int plaintextLength = MessageCodec.plaintextLength(message, sectionEnd + MessageFormat.TAIL_LENGTH, frameLength);
        PerThread thread = PerThread.get();
        for (int attempt = 0; ; attempt++) {
            CachedDataKey entry = entryFor(message, sectionEnd, expected, thread);
            try {
                if (!entry.context().equals(expected)) {
                    throw contextDiffers();
                }
                byte[] plaintext = MessageCodec.open(entry.contentKey(), messageNumber, frameLength, message, sectionEnd,
                        plaintextLength, thread.cipher);
                if (unwrappedBy != null) {
                    unwrappedBy[0] = entry.unwrappedBy();
                }
                return plaintext;
            } catch (WipeableSecretKey.DestroyedException e) {
                // The entry was evicted (and wiped) while we used it: look again, which unwraps anew.
                if (attempt >= ATTEMPTS) {
                    throw new KmsInternalException("the data key was wiped while in use", e);
                }
            } finally {
                if (!entry.isShared()) {
                    entry.retire();
                }
            }
        }
    }

    /** Decrypts a stream with a context given as a map; see {@link #decryptingStream(InputStream, EncryptionContext)}. */
    public InputStream decryptingStream(InputStream in, Map<String, String> context) throws IOException {
        return decryptingStream(in, EncryptionContext.of(context));
    }

    /**
     * Decrypts a stream of any length in constant memory (about two frames). The header is read and the data key
     * unwrapped (or found in the cache) before this returns; then each frame's plaintext is returned only after
     * its tag verified.
     *
     * <p>As with any streaming decryption, plaintext is released before the end of the message is seen: a
     * message cut short at a frame boundary yields its first frames and then fails with
     * {@link InvalidCiphertextException} at the point where the final frame is missing. Treat data as untrusted
     * until {@code read} has returned -1. Closing the stream closes {@code in} and wipes the key.
     *
     * @throws IOException when reading the header fails
     * @throws InvalidCiphertextException, IncorrectKeyException, KmsException as for {@link #decrypt}
     */
    public InputStream decryptingStream(InputStream in, EncryptionContext context) throws IOException {
        Objects.requireNonNull(in, "in");
        EncryptionContext expected = context == null ? EncryptionContext.empty() : context;
        byte[] header = readHeader(in);
        int sectionEnd = header.length - MessageFormat.TAIL_LENGTH;
        int frameLength = checkFrameLength(MessageFormat.getUint32(header, MessageFormat.FRAME_LENGTH_OFFSET));
        PerThread thread = PerThread.get();
        for (int attempt = 0; ; attempt++) {
            CachedDataKey entry = entryFor(header, sectionEnd, expected, thread);
            try {
                if (!entry.context().equals(expected)) {
                    throw contextDiffers();
                }
                WipeableSecretKey key = entry.contentKey().copy();
                return new DecryptingInputStream(in, key, MessageFormat.getUint32(header, sectionEnd), frameLength);
            } catch (WipeableSecretKey.DestroyedException e) {
                if (attempt >= ATTEMPTS) {
                    throw new KmsInternalException("the data key was wiped while in use", e);
                }
            } finally {
                if (!entry.isShared()) {
                    entry.retire();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "EnvelopeDecryptor[strict=" + strictKeys + ", discovery=" + discoverySchemes + ", maxWrappedKeys="
                + maxWrappedKeys + (cache == null ? ", no cache" : ", " + cache) + "]";
    }

    // ---------------------------------------------------------------- internals

    /** The data key material for a header: from the cache, or by unwrapping (and caching it). */
    private CachedDataKey entryFor(byte[] message, int sectionEnd, EncryptionContext expected, PerThread thread) {
        if (core == null) {
            return unwrap(message, sectionEnd, expected, false);
        }
        for (int lookups = 0; ; lookups++) {
            CacheKeys.ForDecryption probe = thread.decryptionProbe.set(partition, message, sectionEnd);
            try {
                CachedDataKey entry = core.get(probe);
                if (entry != null) {
                    core.decryptHit();
                    return entry;
                }
                if (lookups >= ATTEMPTS) {
                    return unwrap(message, sectionEnd, expected, false);
                }
                entry = core.load(probe, probe::copy, () -> unwrap(message, sectionEnd, expected, true));
                if (entry != null) {
                    core.decryptMiss();
                    return entry;
                }
            } finally {
                probe.clear();
            }
        }
    }

    /**
     * Parses the header, checks the context, and unwraps the data key with the first qualifying wrapped key whose
     * commitment matches; derives the content key and wipes the data key.
     */
    private CachedDataKey unwrap(byte[] message, int sectionEnd, EncryptionContext expected, boolean forCache) {
        MessageFormat.Header header = MessageFormat.parse(message, sectionEnd + MessageFormat.TAIL_LENGTH,
                maxWrappedKeys);
        if (!header.context().equals(expected)) {
            throw contextDiffers(); // before any KMS call
        }
        Map<String, String> contextMap = expected.asMap();
        List<KmsException> failures = new ArrayList<>();
        boolean anyCandidate = false;
        for (MessageFormat.WrappedKey wrapped : header.wrappedKeys()) {
            for (Candidate candidate : candidates(wrapped)) {
                anyCandidate = true;
                DecryptRequest request = DecryptRequest.builder().ciphertextBlob(wrapped.blob())
                        .encryptionContext(contextMap).keyId(candidate.expectedKeyId).build();
                try (DecryptResult result = candidate.kms.decrypt(request)) {
                    byte[] dataKey = result.plaintext();
                    try {
                        CachedDataKey entry = derive(dataKey, message, header, wrapped, forCache);
                        if (entry != null) {
                            return entry;
                        }
                        failures.add(new InvalidCiphertextException("the data key unwrapped with " + wrapped.info()
                                + " does not match the message's key commitment"));
                    } finally {
                        Arrays.fill(dataKey, (byte) 0);
                    }
                } catch (KmsException e) {
                    failures.add(e);
                }
            }
        }
        if (!anyCandidate) {
            throw new IncorrectKeyException("none of the message's wrapped data keys " + header.wrappedKeyInfos()
                    + " is under a key this decryptor may use (" + describeKeys() + ")");
        }
        throw bestFailure(failures);
    }

    /** Derives and checks the commitment; null when it does not match. */
    private CachedDataKey derive(byte[] dataKey, byte[] message, MessageFormat.Header header,
                                 MessageFormat.WrappedKey wrapped, boolean forCache) {
        if (dataKey.length != EnvelopeAlgorithm.AES_256_GCM_HKDF_SHA256_COMMIT.dataKeyLength()) {
            return null;
        }
        int commitmentOffset = header.commitmentOffset();
        KeyDerivation.Derived derived = KeyDerivation.derive(dataKey, message, commitmentOffset);
        try {
            byte[] stored = Arrays.copyOfRange(message, commitmentOffset,
                    commitmentOffset + MessageFormat.COMMITMENT_LENGTH);
            if (!MessageDigest.isEqual(derived.commitment(), stored)) {
                return null;
            }
            WipeableSecretKey key = new WipeableSecretKey(derived.contentKey(), "AES");
            byte[] section = Arrays.copyOf(message, header.dataKeySectionEnd());
            long now = forCache ? core.nowMillis() : 0;
            long expires = forCache ? core.expiresAt(now) : Long.MAX_VALUE;
            return new CachedDataKey(section, key, header.context(), wrapped.info(), now, expires, 1, Long.MAX_VALUE,
                    -1);
        } finally {
            Arrays.fill(derived.contentKey(), (byte) 0);
        }
    }

    /** A client to try on a wrapped key, and the key id to require (null in discovery). */
    private static final class Candidate {
        final Kms kms;
        final String expectedKeyId;

        Candidate(Kms kms, String expectedKeyId) {
            this.kms = kms;
            this.expectedKeyId = expectedKeyId;
        }
    }

    private List<Candidate> candidates(MessageFormat.WrappedKey wrapped) {
        List<Candidate> out = new ArrayList<>(2);
        for (WrappingKey k : strictKeys) {
            if (k.scheme().equals(wrapped.scheme())
                    && (!k.isFullIdentifier() || k.keyId().equals(wrapped.keyId()))) {
                out.add(new Candidate(k.kms(), k.keyId()));
            }
        }
        for (int i = 0; i < discoveryClients.size(); i++) {
            if (discoverySchemes.get(i).equals(wrapped.scheme())) {
                out.add(new Candidate(discoveryClients.get(i), null));
            }
        }
        return out;
    }

    private String describeKeys() {
        List<String> parts = new ArrayList<>();
        for (WrappingKey k : strictKeys) {
            parts.add("strict " + k);
        }
        for (String scheme : discoverySchemes) {
            parts.add("any " + scheme + " key");
        }
        return String.join(", ", parts);
    }

    /** A retryable failure first (the caller may retry), else the first; the others are attached as suppressed. */
    private static KmsException bestFailure(List<KmsException> failures) {
        KmsException best = failures.get(0);
        for (KmsException e : failures) {
            if (e.isRetryable()) {
                best = e;
                break;
            }
        }
        for (KmsException e : failures) {
            if (e != best) {
                best.addSuppressed(e);
            }
        }
        return best;
    }

    private static InvalidCiphertextException contextDiffers() {
        return new InvalidCiphertextException("the encryption context differs from the one the envelope message "
                + "was encrypted with");
    }

    private int checkFrameLength(long frameLength) {
        if (frameLength < 1 || frameLength > maxFrameLength) {
            throw new InvalidCiphertextException("the envelope message's frame length " + frameLength + " is outside "
                    + "1 to " + maxFrameLength);
        }
        return (int) frameLength;
    }

    /** Reads exactly one header from a stream, field by field, so nothing past it is consumed. */
    private byte[] readHeader(InputStream in) throws IOException {
        HeaderBuffer b = new HeaderBuffer(in);
        b.read(MessageFormat.CONTEXT_OFFSET);
        MessageFormat.checkPrefix(b.bytes);
        b.read(MessageFormat.uint16(b.bytes, MessageFormat.CONTEXT_LENGTH_OFFSET) + 1);
        int count = b.bytes[b.length - 1] & 0xFF;
        if (count == 0 || count > maxWrappedKeys) {
            throw new InvalidCiphertextException("the envelope header holds " + count + " wrapped data keys; this "
                    + "decryptor accepts 1 to " + maxWrappedKeys);
        }
        for (int i = 0; i < count; i++) {
            b.read(1);
            b.read((b.bytes[b.length - 1] & 0xFF) + 2);
            b.read(MessageFormat.uint16(b.bytes, b.length - 2) + 2);
            b.read(MessageFormat.uint16(b.bytes, b.length - 2));
        }
        b.read(MessageFormat.COMMITMENT_LENGTH + MessageFormat.TAIL_LENGTH);
        return Arrays.copyOf(b.bytes, b.length);
    }

    /** A growable buffer for reading a header of unknown length. */
    private static final class HeaderBuffer {
        private final InputStream in;
        byte[] bytes = new byte[512];
        int length;

        HeaderBuffer(InputStream in) {
            this.in = in;
        }

        void read(int n) throws IOException {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
            int got = in.readNBytes(bytes, length, n);
            if (got < n) {
                throw MessageFormat.truncated();
            }
            length += n;
        }
    }

    /**
     * Builds an {@link EnvelopeDecryptor}: give at least one strict wrapping key or discovery client. Thread
     * safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private final List<WrappingKey> strictKeys = new ArrayList<>();
        private final List<Kms> discoveryClients = new ArrayList<>();
        private DataKeyCache cache;
        private int maxWrappedKeys = DEFAULT_MAX_WRAPPED_KEYS;
        private int maxFrameLength = MessageFormat.MAX_FRAME_LENGTH;

        private Builder() {
        }

        /**
         * Allows data keys wrapped under this key (strict mode).
         *
         * @param keyId a full key ARN or URI (compared as is), or an alias or key id (checked by the provider)
         * @throws ValidationException when the key id is malformed
         */
        public Builder wrappingKey(Kms kms, String keyId) {
            strictKeys.add(new WrappingKey(kms, keyId));
            return this;
        }

        /** Allows data keys wrapped under any key of this client's provider (discovery mode). */
        public Builder discovery(Kms kms) {
            discoveryClients.add(Objects.requireNonNull(kms, "kms"));
            return this;
        }

        /** Caches unwrapped data keys; by default every message is unwrapped with a KMS call. */
        public Builder dataKeyCache(DataKeyCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The most wrapped keys a message may carry, 1 to 255; by default {@value #DEFAULT_MAX_WRAPPED_KEYS}.
         * Messages with more are refused before any KMS call.
         */
        public Builder maxWrappedKeys(int maxWrappedKeys) {
            this.maxWrappedKeys = maxWrappedKeys;
            return this;
        }

        /**
         * The longest frame accepted, 1 to 16 MiB (the default, the format's maximum); lower it to bound what a
         * hostile message can make a decrypting stream buffer.
         */
        public Builder maxFrameLength(int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        /**
         * Makes the decryptor.
         *
         * @throws ValidationException when no key or client was given, or a limit is out of range
         */
        public EnvelopeDecryptor build() {
            if (strictKeys.isEmpty() && discoveryClients.isEmpty()) {
                throw new ValidationException("an envelope decryptor needs at least one wrapping key (strict) or "
                        + "discovery client");
            }
            if (maxWrappedKeys < 1 || maxWrappedKeys > MessageFormat.MAX_WRAPPED_KEYS) {
                throw new ValidationException("maxWrappedKeys must be 1 to " + MessageFormat.MAX_WRAPPED_KEYS);
            }
            if (maxFrameLength < 1 || maxFrameLength > MessageFormat.MAX_FRAME_LENGTH) {
                throw new ValidationException("maxFrameLength must be 1 to " + MessageFormat.MAX_FRAME_LENGTH);
            }
            return new EnvelopeDecryptor(this);
        }
    }
}
