package io.kms4j.envelope;

import io.kms4j.ValidationException;
import io.kms4j.envelope.internal.CacheCore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A cache of data keys for {@link EnvelopeEncryptor} and {@link EnvelopeDecryptor}, so steady-state traffic makes
 * almost no backend calls: encryption reuses one data key for many messages, within limits; decryption reuses an
 * unwrapped data key for messages whose header carries the same wrapped keys and context.
 *
 * <pre>{@code
 * DataKeyCache cache = DataKeyCache.builder()
 *         .maxAge(Duration.ofMinutes(5))      // required
 *         .maxMessages(1_000_000)             // at most 2^32 (the default)
 *         .maxBytes(1L << 36)                 // default: no byte limit
 *         .build();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Backend-independent: it caches what {@code Kms.generateDataKey}/{@code encrypt}/{@code decrypt} returned,
 *       whatever the provider.
 *   <li>Entries never cross: an encrypt-side entry belongs to one encryptor (its wrapping keys and algorithm)
 *       and one encryption context; a decrypt-side entry to one decryptor and one exact header data key section
 *       (algorithm, context, every wrapped key, commitment). Share an encryptor or decryptor instance to share
 *       its entries.
 *   <li>Limits apply per data key. Encryption: an entry is never used once it is {@link Builder#maxAge max age}
 *       old (by this cache's clock), never for more than {@link Builder#maxMessages max messages} messages
 *       (at most 2^32, NIST SP 800-38D's bound), and never past {@link Builder#maxBytes max bytes} of plaintext;
 *       the message that would pass a limit gets a new data key. Decryption: the max age applies.
 *   <li>An entry's key material is wiped when the entry is evicted (expired, used up, over capacity, cleared),
 *       as soon as encryptions that already reserved it have finished.
 *   <li>Thread-safe without a global lock: lookups are lock-free, and a burst of threads missing the same entry
 *       makes one backend call between them.
 * </ul>
 * Expired entries that nobody asks for again are swept (and wiped) on the next miss or {@link #cleanUp()}.
 *
 * <p>Thread safety: safe for concurrent use; share one instance.
 */
public final class DataKeyCache implements AutoCloseable {
    /** The largest message limit: NIST SP 800-38D allows at most 2^32 GCM messages under one key. */
    public static final long MAX_MESSAGES_LIMIT = 1L << 32;
    /** The default capacity (entries). */
    public static final int DEFAULT_CAPACITY = 1000;

    private final CacheCore core;
    private final Duration maxAge;

    private DataKeyCache(Builder b) {
        this.maxAge = b.maxAge;
        long maxAgeMillis;
        try {
            maxAgeMillis = b.maxAge.toMillis();
        } catch (ArithmeticException e) {
            maxAgeMillis = Long.MAX_VALUE; // centuries: effectively no age limit
        }
        this.core = new CacheCore(b.clock, maxAgeMillis, b.maxMessages, b.maxBytes, b.capacity);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long an entry may be used after it was made. */
    public Duration maxAge() {
        return maxAge;
    }

    /** The most messages one data key encrypts. */
    public long maxMessages() {
        return core.maxMessages();
    }

    /** The most plaintext bytes one data key encrypts; {@code Long.MAX_VALUE} when unlimited. */
    public long maxBytes() {
        return core.maxBytes();
    }

    /** Counters since the cache was made; each call takes a fresh snapshot. */
    public Stats stats() {
        long[] c = core.counters();
        return new Stats(c[0], c[1], c[2], c[3], c[4], core.size());
    }

    /** Evicts (and wipes) expired entries now, and the oldest while over capacity. */
    public void cleanUp() {
        core.cleanUp();
    }

    /** Evicts and wipes every entry; the cache stays usable. */
    public void clear() {
        core.clear();
    }

    /** Evicts and wipes every entry and stops caching: later operations use a fresh data key each. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    /** The machinery, for the encryptor and decryptor of this package. */
    CacheCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "DataKeyCache[maxAge=" + maxAge + ", maxMessages=" + maxMessages() + ", maxBytes="
                + (maxBytes() == Long.MAX_VALUE ? "unlimited" : maxBytes()) + ", " + stats() + "]";
    }

    /**
     * Hit and miss counters.
     *
     * @param encryptHits encryptions served by a cached data key
     * @param encryptMisses encryptions that needed a new data key (a backend call)
     * @param decryptHits decryptions served by a cached unwrapped data key
     * @param decryptMisses decryptions that unwrapped the data key (a backend call)
     * @param evictions entries removed (expired, used up, over capacity, cleared)
     * @param size live entries now
     *
     * <p>Thread safety: immutable.
     */
    public record Stats(long encryptHits, long encryptMisses, long decryptHits, long decryptMisses, long evictions,
                        int size) {
        /** Hits of both directions. */
        public long hits() {
            return encryptHits + decryptHits;
        }

        /** Misses of both directions. */
        public long misses() {
            return encryptMisses + decryptMisses;
        }
    }

    /**
     * Builds a {@link DataKeyCache}. Thread safety: not thread-safe; confine a builder to one thread.
     */
    public static final class Builder {
        private Duration maxAge;
        private long maxMessages = MAX_MESSAGES_LIMIT;
        private long maxBytes = Long.MAX_VALUE;
        private int capacity = DEFAULT_CAPACITY;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Required: how long a data key may be used after it was generated or unwrapped; positive. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /** The most messages one data key encrypts, 1 to 2^32; by default 2^32. */
        public Builder maxMessages(long maxMessages) {
            this.maxMessages = maxMessages;
            return this;
        }

        /** The most plaintext bytes one data key encrypts, at least 1; by default unlimited. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** The most entries kept; the oldest go first when it is reached. By default {@value #DEFAULT_CAPACITY}. */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /** The clock entry ages are measured with; by default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the cache.
         *
         * @throws ValidationException when max age is missing or not positive, or a limit is out of range
         */
        public DataKeyCache build() {
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new ValidationException("DataKeyCache needs a positive maxAge");
            }
            if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
                throw new ValidationException("maxMessages must be 1 to 2^32 (NIST SP 800-38D), was " + maxMessages);
            }
            if (maxBytes < 1) {
                throw new ValidationException("maxBytes must be at least 1, was " + maxBytes);
            }
            if (capacity < 1) {
                throw new ValidationException("capacity must be at least 1, was " + capacity);
            }
            return new DataKeyCache(this);
        }
    }
}
