package io.kms4j.envelope;

import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.EncryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.GenerateDataKeyRequest;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.CacheCore;
import io.kms4j.envelope.internal.CacheKeys;
import io.kms4j.envelope.internal.CachedDataKey;
import io.kms4j.envelope.internal.EncryptingOutputStream;
import io.kms4j.envelope.internal.MessageCodec;
import io.kms4j.envelope.internal.MessageFormat;
import io.kms4j.envelope.internal.PerThread;
import io.kms4j.envelope.internal.WipeableSecretKey;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envelope encryption: data of any size is encrypted locally with AES-256-GCM under a data key, and the data key
 * travels in the message wrapped under one or more KMS keys, possibly on different backends (for example AWS KMS
 * and an on-premises HSM); any one of them can decrypt. The message format is specified byte by byte in
 * {@code docs/FORMATS.md}; the design is explained in {@code docs/ENVELOPE.md}.
 *
 * <pre>{@code
 * EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder()
 *         .wrappingKey(awsKms, "arn:aws:kms:eu-west-1:111122223333:key/…")   // generates the data key
 *         .wrappingKey(hsmKms, "pkcs11:token=vault;object=backup")             // also wraps it
 *         .dataKeyCache(DataKeyCache.builder().maxAge(Duration.ofMinutes(5)).build())
 *         .build();
 * EncryptionContext context = EncryptionContext.of(Map.of("tenant", "acme"));
 * byte[] message = encryptor.encrypt(plaintext, context);
 * byte[] back = encryptor.decryptor().decrypt(message, context);
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>The first wrapping key's {@code GenerateDataKey} makes each data key (32 bytes from the backend's
 *       generator); every further wrapping key wraps it with {@code Encrypt}. All KMS calls go through the public
 *       {@link Kms} API, so they are validated and audited as usual, and any provider works.
 *   <li>The encryption context is bound to the wrapped data keys (it is their KMS encryption context), to the
 *       derived content key, and written in the header; decryption requires exactly the same context.
 *   <li>A message can decrypt to only one plaintext (key commitment), and truncation, frame reordering, frames
 *       from another message, and any change to the header or context are detected.
 *   <li>Without a {@link DataKeyCache}, every message has its own data key (one or more KMS calls per message).
 *       With one, a data key serves many messages within the cache's limits.
 *   <li>Plaintext data keys are wiped as soon as the content key is derived; content keys are wiped when their
 *       cache entry is evicted or, uncached, after their one message.
 * </ul>
 *
 * <p>Thread safety: immutable and safe for concurrent use; share one instance (cache entries belong to the
 * instance that made them).
 */
public final class EnvelopeEncryptor {
    /** The default frame length: 64 KiB of plaintext per frame. */
    public static final int DEFAULT_FRAME_LENGTH = 64 * 1024;

    private static final AtomicLong PARTITIONS = new AtomicLong();
    private static final EnvelopeAlgorithm ALGORITHM = EnvelopeAlgorithm.AES_256_GCM_HKDF_SHA256_COMMIT;
    /** Lookups that find a used-up entry evicted by another thread before giving up on the cache for a message. */
    private static final int CACHE_ATTEMPTS = 8;

    private final List<WrappingKey> wrappingKeys;
    private final DataKeyCache cache;
    private final CacheCore core;
    private final int frameLength;
    private final long partition;

    private EnvelopeEncryptor(Builder b) {
        this.wrappingKeys = List.copyOf(b.wrappingKeys);
        this.cache = b.cache;
        this.core = b.cache == null ? null : b.cache.core();
        this.frameLength = b.frameLength;
        this.partition = PARTITIONS.incrementAndGet();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The algorithm suite this encryptor writes. */
    public EnvelopeAlgorithm algorithm() {
        return ALGORITHM;
    }

    /** The plaintext bytes per frame. */
    public int frameLength() {
        return frameLength;
    }

    /** The wrapping keys, in order: the first generates data keys. */
    public List<WrappedKeyInfo> wrappingKeys() {
        List<WrappedKeyInfo> infos = new ArrayList<>();
        for (WrappingKey k : wrappingKeys) {
            infos.add(new WrappedKeyInfo(k.scheme(), k.keyId()));
        }
        return List.copyOf(infos);
    }

    /**
     * A decryptor for this encryptor's messages: strict, accepting exactly these wrapping keys (each through
     * its own {@link Kms}), sharing this encryptor's cache (decrypt-side entries are separate from encrypt-side
     * ones).
     */
    public EnvelopeDecryptor decryptor() {
        EnvelopeDecryptor.Builder b = EnvelopeDecryptor.builder();
        for (WrappingKey k : wrappingKeys) {
            b.wrappingKey(k.kms(), k.keyId());
        }
        if (cache != null) {
            b.dataKeyCache(cache);
        }
        return b.build();
    }

    /**
     * Encrypts a byte array.
     *
     * @param context the encryption context; null means empty
     * @return the envelope message
     * @throws ValidationException when the plaintext is null or the message would not fit in a byte array (use
     *     {@link #encryptingStream})
     * @throws KmsException (typed) when a KMS call for a new data key fails
     */
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        return encrypt(plaintext, EncryptionContext.of(context));
    }

    /**
     * Encrypts a byte array. Prefer this overload on hot paths: a prepared {@link EncryptionContext} is encoded
     * once, not per call.
     *
     * @param context the encryption context; null means empty
     * @return the envelope message
     * @throws ValidationException when the plaintext is null or the message would not fit in a byte array (use
     *     {@link #encryptingStream})
     * @throws KmsException (typed) when a KMS call for a new data key fails
     */
    public byte[] encrypt(byte[] plaintext, EncryptionContext context) {
        if (plaintext == null) {
            throw new ValidationException("plaintext is required");
        }
        EncryptionContext ctx = context == null ? EncryptionContext.empty() : context;
        int length = plaintext.length;
        PerThread thread = PerThread.get();
        boolean useCache = core != null && length <= core.maxBytes();
        for (int attempt = 0; ; attempt++) {
            CachedDataKey entry;
            long messageNumber;
            if (useCache && attempt < CACHE_ATTEMPTS) {
                CacheKeys.ForEncryption probe = thread.encryptionProbe.set(partition, ALGORITHM.id(), ctx);
                try {
                    entry = core.get(probe);
                    if (entry != null) {
                        messageNumber = entry.tryReserve(length);
                        if (messageNumber < 0) {
                            core.evict(probe, entry); // used up: the next lookup makes a new data key
                            continue;
                        }
                        core.encryptHit();
                    } else {
                        entry = core.load(probe, probe::copy, () -> newDataKey(ctx, length, true));
                        if (entry == null) {
                            continue; // another thread made it: look it up
                        }
                        messageNumber = 0; // reserved for the loader before the entry was shared
                        core.encryptMiss();
                    }
                } finally {
                    probe.clear();
                }
            } else {
                entry = newDataKey(ctx, length, false);
                messageNumber = 0;
            }
            try {
                return MessageCodec.seal(entry, messageNumber, plaintext, thread.cipher);
            } catch (WipeableSecretKey.DestroyedException e) {
                // Cannot happen for a reserved entry (its wipe waits for us); retried as a defence in depth.
                if (attempt > CACHE_ATTEMPTS) {
                    throw new KmsInternalException("the data key was wiped while in use", e);
                }
            } finally {
                entry.complete();
                if (!entry.isShared()) {
                    entry.retire();
                }
            }
        }
    }

    /**
     * Encrypts a stream of any length under a new data key of its own (the cache is not used: the stream's size
     * is unknown, so it could not be counted against the byte limit). The header is written at once; each frame
     * is written when full; {@link OutputStream#close()} writes the final frame and closes {@code out}. Memory
     * use is constant: about two frames.
     *
     * @param out where the message goes
     * @param context the encryption context; null means empty
     * @throws IOException when writing the header fails
     * @throws KmsException (typed) when the KMS calls for the data key fail
     */
    public OutputStream encryptingStream(OutputStream out, EncryptionContext context) throws IOException {
        return encryptingStream(out, context, -1);
    }

    /**
     * Encrypts a stream whose length is at most {@code plaintextLengthBound} bytes; with a cache, that many bytes
     * are counted against the cached data key's byte limit up front, so the stream may use a cached data key.
     * Writing more than the bound fails with {@link ValidationException}.
     *
     * @param plaintextLengthBound the most plaintext bytes that will be written, or -1 for unknown (no cache)
     * @throws IOException when writing the header fails
     * @throws KmsException (typed) when the KMS calls for the data key fail
     */
    public OutputStream encryptingStream(OutputStream out, EncryptionContext context, long plaintextLengthBound)
            throws IOException {
        Objects.requireNonNull(out, "out");
        if (plaintextLengthBound < -1) {
            throw new ValidationException("plaintextLengthBound must be -1 (unknown) or at least 0");
        }
        EncryptionContext ctx = context == null ? EncryptionContext.empty() : context;
        CachedDataKey entry = null;
        long messageNumber = 0;
        if (core != null && plaintextLengthBound >= 0 && plaintextLengthBound <= core.maxBytes()) {
            PerThread thread = PerThread.get();
            for (int attempt = 0; attempt < CACHE_ATTEMPTS && entry == null; attempt++) {
                CacheKeys.ForEncryption probe = thread.encryptionProbe.set(partition, ALGORITHM.id(), ctx);
                try {
                    CachedDataKey found = core.get(probe);
                    if (found != null) {
                        messageNumber = found.tryReserve(plaintextLengthBound);
                        if (messageNumber < 0) {
                            core.evict(probe, found);
                            continue;
                        }
                        core.encryptHit();
                        entry = found;
                    } else {
                        entry = core.load(probe, probe::copy, () -> newDataKey(ctx, plaintextLengthBound, true));
                        if (entry != null) {
                            messageNumber = 0;
                            core.encryptMiss();
                        }
                    }
                } finally {
                    probe.clear();
                }
            }
        }
        if (entry == null) {
            entry = newDataKey(ctx, Math.max(0, plaintextLengthBound), false);
            messageNumber = 0;
        }
        WipeableSecretKey key;
        try {
            // The stream keeps its own copy of the key, so a stream left open never holds up wiping the entry.
            key = entry.contentKey().copy();
        } finally {
            entry.complete();
            if (!entry.isShared()) {
                entry.retire();
            }
        }
        try {
            return new EncryptingOutputStream(out, entry.dataKeySection(), key, messageNumber, plaintextLengthBound);
        } catch (IOException | RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "EnvelopeEncryptor[wrappingKeys=" + wrappingKeys + ", frameLength=" + frameLength
                + (cache == null ? ", no cache" : ", " + cache) + "]";
    }

    // ---------------------------------------------------------------- internals

    /**
     * Makes a data key: GenerateDataKey under the first wrapping key, Encrypt under each other one; then derives
     * the content key and commitment and wipes the plaintext data key.
     *
     * @param firstMessageLength the plaintext length of the message that asked for it (message 0 is reserved)
     * @param forCache whether the entry will be cached (its limits are the cache's) or serve one message
     */
    private CachedDataKey newDataKey(EncryptionContext context, long firstMessageLength, boolean forCache) {
        Map<String, String> contextMap = context.asMap();
        WrappingKey first = wrappingKeys.get(0);
        try (DataKey dataKey = first.kms().generateDataKey(GenerateDataKeyRequest.builder().keyId(first.keyId())
                .keySpec(DataKeySpec.AES_256).encryptionContext(contextMap).build())) {
            byte[] plain = dataKey.plaintext();
            try {
                if (plain.length != ALGORITHM.dataKeyLength()) {
                    throw new KmsInternalException(first.scheme() + " returned a " + plain.length
                            + "-byte data key for a " + ALGORITHM.dataKeyLength() + "-byte request");
                }
                List<MessageFormat.WrappedKey> wrapped = new ArrayList<>(wrappingKeys.size());
                wrapped.add(new MessageFormat.WrappedKey(first.scheme(), dataKey.keyId(), dataKey.ciphertextBlob()));
                for (int i = 1; i < wrappingKeys.size(); i++) {
                    WrappingKey k = wrappingKeys.get(i);
                    EncryptResult r = k.kms().encrypt(k.keyId(), plain, contextMap);
                    wrapped.add(new MessageFormat.WrappedKey(k.scheme(), r.keyId(), r.ciphertextBlob()));
                }
                WrappedKeyInfo by = new WrappedKeyInfo(first.scheme(), dataKey.keyId());
                if (forCache) {
                    long now = core.nowMillis();
                    return CachedDataKey.fromDataKey(plain, ALGORITHM.id(), frameLength, context, wrapped, by, now,
                            core.expiresAt(now), core.maxMessages(), core.maxBytes(), firstMessageLength);
                }
                return CachedDataKey.fromDataKey(plain, ALGORITHM.id(), frameLength, context, wrapped, by, 0,
                        Long.MAX_VALUE, 1, Long.MAX_VALUE, firstMessageLength);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /**
     * Builds an {@link EnvelopeEncryptor}. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private final List<WrappingKey> wrappingKeys = new ArrayList<>();
        private DataKeyCache cache;
        private int frameLength = DEFAULT_FRAME_LENGTH;

        private Builder() {
        }

        /**
         * Adds a wrapping key. The first one added generates each data key; each further one wraps it too, so
         * any of them can decrypt. Up to 255.
         *
         * @param kms the client of the key's provider
         * @param keyId the key, in any form that client accepts (key id, alias, ARN or key URI)
         * @throws ValidationException when the key id is malformed
         */
        public Builder wrappingKey(Kms kms, String keyId) {
            wrappingKeys.add(new WrappingKey(kms, keyId));
            return this;
        }

        /** Caches data keys; by default there is no cache and each message gets its own data key. */
        public Builder dataKeyCache(DataKeyCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** The plaintext bytes per frame, 1 to 16 MiB; by default {@value #DEFAULT_FRAME_LENGTH}. */
        public Builder frameLength(int frameLength) {
            this.frameLength = frameLength;
            return this;
        }

        /**
         * Makes the encryptor.
         *
         * @throws ValidationException when no wrapping key was given, more than 255, or the frame length is out
         *     of range
         */
        public EnvelopeEncryptor build() {
            if (wrappingKeys.isEmpty() || wrappingKeys.size() > MessageFormat.MAX_WRAPPED_KEYS) {
                throw new ValidationException("an envelope encryptor needs 1 to " + MessageFormat.MAX_WRAPPED_KEYS
                        + " wrapping keys, not " + wrappingKeys.size());
            }
            if (frameLength < 1 || frameLength > MessageFormat.MAX_FRAME_LENGTH) {
                throw new ValidationException("frameLength must be 1 to " + MessageFormat.MAX_FRAME_LENGTH + ", was "
                        + frameLength);
            }
            return new EnvelopeEncryptor(this);
        }
    }
}
