package io.kms4j.envelope.internal;

import io.kms4j.EncryptionContext;
import java.util.Arrays;

/**
 * The keys of the data key cache. Encrypt-side entries are found by (partition, algorithm, encryption context);
 * decrypt-side entries by (partition, data key section of the header), which holds the algorithm, the context,
 * every wrapped key and the commitment. A partition is one encryptor or decryptor: different wrapping-key or
 * decryption configurations never share an entry, even in one cache.
 *
 * <p>Each key class doubles as a reusable lookup probe (one per thread, see {@link PerThread}), so a cache hit
 * allocates nothing. A probe is never stored: insertion stores a {@code copy()}, and stored keys are never
 * changed.
 *
 * <p>Not API. Thread safety: a probe is confined to its thread; stored copies are effectively immutable.
 */
public final class CacheKeys {
    private CacheKeys() {
    }

    /** Key of an encrypt-side entry. */
    public static final class ForEncryption {
        private long partition;
        private int algorithm;
        private EncryptionContext context;
        private int hash;

        /** Points this probe at a lookup. */
        public ForEncryption set(long partition, int algorithm, EncryptionContext context) {
            this.partition = partition;
            this.algorithm = algorithm;
            this.context = context;
            this.hash = (Long.hashCode(partition) * 31 + algorithm) * 31 + context.hashCode();
            return this;
        }

        /** An unshared copy to store in the map. */
        public ForEncryption copy() {
            ForEncryption k = new ForEncryption();
            k.partition = partition;
            k.algorithm = algorithm;
            k.context = context;
            k.hash = hash;
            return k;
        }

        /** Drops the reference to the caller's context so the probe does not keep it alive. */
        public void clear() {
            context = null;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ForEncryption)) {
                return false;
            }
            ForEncryption k = (ForEncryption) o;
            return k.hash == hash && k.partition == partition && k.algorithm == algorithm
                    && k.context.equals(context);
        }
    }

    /** Key of a decrypt-side entry: a range of header bytes. */
    public static final class ForDecryption {
        private long partition;
        private byte[] bytes;
        private int length;
        private int hash;

        /**
         * Points this probe at the first {@code length} bytes of {@code message} (the data key section). The
         * hash is taken from the commitment, the last 32 bytes: an HMAC output, so already uniformly spread and
         * different for every data key, and cheaper than hashing the whole section.
         */
        public ForDecryption set(long partition, byte[] message, int length) {
            this.partition = partition;
            this.bytes = message;
            this.length = length;
            int c = length - MessageFormat.COMMITMENT_LENGTH;
            this.hash = Long.hashCode(partition) * 31 + (int) MessageFormat.getUint32(message, c);
            return this;
        }

        /** An unshared copy, holding its own copy of the bytes, to store in the map. */
        public ForDecryption copy() {
            ForDecryption k = new ForDecryption();
            k.partition = partition;
            k.bytes = Arrays.copyOf(bytes, length);
            k.length = length;
            k.hash = hash;
            return k;
        }

        /** Drops the reference to the caller's message so the probe does not keep it alive. */
        public void clear() {
            bytes = null;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ForDecryption)) {
                return false;
            }
            ForDecryption k = (ForDecryption) o;
            return k.hash == hash && k.partition == partition && k.length == length
                    && Arrays.equals(k.bytes, 0, length, bytes, 0, length);
        }
    }
}
