package io.kms4j.envelope.internal;

import io.kms4j.EncryptionContext;
import io.kms4j.envelope.WrappedKeyInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The material of one data key, ready for local encryption or decryption: the header's data key section (magic
 * through commitment, copied into every message), the derived content key, and, on the encrypt side, the usage
 * counters that enforce the cache's limits.
 *
 * <h2>Usage accounting (encrypt side)</h2>
 * {@link #tryReserve} hands out message numbers 0, 1, 2, … with one atomic increment; a number at or past the
 * message limit, or a message that would pass the byte limit, is refused. Message numbers are the frame IVs'
 * first field, so a number is never handed out twice for one data key, and never beyond 2^32 - 1 (NIST SP
 * 800-38D's limit; the IVs are deterministic, so they cannot collide at all below it).
 *
 * <h2>Wiping without pulling the key from under a running encryption</h2>
 * {@link #retire()} first closes the entry to new reservations, then wipes the content key as soon as every
 * reservation handed out so far has {@linkplain #complete() completed}: whichever of the retiring thread or the
 * last finishing thread sees the count complete does the wipe. A message that reserved a number therefore
 * always finishes under its key, and each data key serves exactly its message limit. Decrypt-side entries hold
 * no reservations and are wiped at once; a decryption racing that wipe gets
 * {@link WipeableSecretKey.DestroyedException} from the key and retries.
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class CachedDataKey {
    /** Added to the reservation counter on retirement, so every later reservation is out of range. */
    private static final long CLOSED = 1L << 40;

    private final byte[] dataKeySection;
    private final WipeableSecretKey contentKey;
    private final EncryptionContext context;
    private final WrappedKeyInfo unwrappedBy;
    private final long createdAtMillis;
    private final long expiresAtMillis;
    private final long maxMessages;
    private final long maxBytes;
    private final AtomicLong reserved;
    private final AtomicLong bytes;
    private final LongAdder completed = new LongAdder();
    private final AtomicBoolean retiring = new AtomicBoolean();
    private volatile long reservationsToComplete = -1;
    private volatile boolean shared;

    /**
     * Takes ownership of {@code contentKey} (it is wiped when the entry is retired).
     *
     * @param dataKeySection the header from the magic through the commitment; not copied, never modified
     * @param unwrappedBy the wrapped key that yielded the data key (decrypt side) or the first wrapping key
     * @param maxMessages 1 to 2^32
     * @param maxBytes the most plaintext bytes all messages together may hold; {@code Long.MAX_VALUE} for no limit
     * @param firstMessageLength when not negative, message number 0 is reserved for the creator for a message of
     *     this many bytes, before the entry is shared
     */
    public CachedDataKey(byte[] dataKeySection, WipeableSecretKey contentKey, EncryptionContext context,
                         WrappedKeyInfo unwrappedBy, long createdAtMillis, long expiresAtMillis, long maxMessages,
                         long maxBytes, long firstMessageLength) {
        if (maxMessages < 1 || maxMessages > MessageFormat.MAX_MESSAGE_NUMBER + 1) {
            throw new IllegalArgumentException("maxMessages must be 1 to 2^32");
        }
        this.dataKeySection = dataKeySection;
        this.contentKey = contentKey;
        this.context = context;
        this.unwrappedBy = unwrappedBy;
        this.createdAtMillis = createdAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.reserved = new AtomicLong(firstMessageLength >= 0 ? 1 : 0);
        this.bytes = new AtomicLong(Math.max(0, firstMessageLength));
    }

    /**
     * Builds the entry for a plaintext data key: writes the header's data key section, derives the content key
     * and commitment (see {@link KeyDerivation}). The caller still owns and wipes {@code dataKey}.
     *
     * @param wrapped the data key's wrapped copies, in header order
     * @throws io.kms4j.ValidationException when a wrapped key does not fit the format
     */
    public static CachedDataKey fromDataKey(byte[] dataKey, int algorithmId, int frameLength,
                                            EncryptionContext context, List<MessageFormat.WrappedKey> wrapped,
                                            WrappedKeyInfo by, long createdAtMillis, long expiresAtMillis,
                                            long maxMessages, long maxBytes, long firstMessageLength) {
        byte[] before = MessageFormat.headerBeforeCommitment(algorithmId, frameLength, context, wrapped);
        KeyDerivation.Derived derived = KeyDerivation.derive(dataKey, before, before.length);
        try {
            byte[] section = Arrays.copyOf(before, before.length + MessageFormat.COMMITMENT_LENGTH);
            System.arraycopy(derived.commitment(), 0, section, before.length, MessageFormat.COMMITMENT_LENGTH);
            return new CachedDataKey(section, new WipeableSecretKey(derived.contentKey(), "AES"), context, by,
                    createdAtMillis, expiresAtMillis, maxMessages, maxBytes, firstMessageLength);
        } finally {
            Arrays.fill(derived.contentKey(), (byte) 0);
        }
    }

    /** The plaintext bytes per frame of every message under this data key (it is part of the header section). */
    public int frameLength() {
        return (int) MessageFormat.getUint32(dataKeySection, MessageFormat.FRAME_LENGTH_OFFSET);
    }

    /** The header from the magic through the commitment. Shared: never modify it. */
    public byte[] dataKeySection() {
        return dataKeySection;
    }

    /** The content-encryption key. */
    public WipeableSecretKey contentKey() {
        return contentKey;
    }

    /** The encryption context the data key is bound to. */
    public EncryptionContext context() {
        return context;
    }

    /** Which wrapped key yielded the data key (decrypt side), or the first wrapping key (encrypt side). */
    public WrappedKeyInfo unwrappedBy() {
        return unwrappedBy;
    }

    /** When the entry was made, in the cache clock's milliseconds. */
    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** Whether the entry's age has reached the cache's maximum age at {@code nowMillis}. */
    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /**
     * Reserves the next message number for a message of {@code length} plaintext bytes. Every successful
     * reservation must be followed by exactly one {@link #complete()}, whatever happens.
     *
     * @return the message number, or -1 when the entry's message or byte limit (or retirement) refuses it
     */
    public long tryReserve(long length) {
        if (maxBytes != Long.MAX_VALUE) {
            long total = bytes.addAndGet(length);
            if (total > maxBytes || total < 0) {
                return -1;
            }
        }
        long n = reserved.getAndIncrement();
        return n < maxMessages ? n : -1;
    }

    /** Marks one reservation (including the creator's message 0) as done; wipes the key if it was the last one owed. */
    public void complete() {
        completed.increment();
        if (reservationsToComplete >= 0) {
            wipeIfDone();
        }
    }

    /**
     * Closes the entry to new reservations and wipes its key once the reservations already handed out have
     * completed (at once, when there are none). Idempotent.
     */
    public void retire() {
        if (!retiring.compareAndSet(false, true)) {
            return;
        }
        long handedOut = reserved.getAndAdd(CLOSED);
        reservationsToComplete = Math.min(handedOut, maxMessages);
        wipeIfDone();
    }

    /** Whether the entry is (about to be) published in a cache, so the cache, not its creator, retires it. */
    public void setShared(boolean shared) {
        this.shared = shared;
    }

    /** Whether the entry is in a cache; an unshared entry is retired by its creator after its one use. */
    public boolean isShared() {
        return shared;
    }

    /** Whether {@link #retire()} has been called. */
    public boolean isRetired() {
        return retiring.get();
    }

    private void wipeIfDone() {
        // Every completion and the retirement are sequentially consistent (volatile and atomic operations), so
        // whichever of them comes last sees the full count and wipes; an earlier wipe cannot happen.
        if (completed.sum() >= reservationsToComplete) {
            contentKey.destroy();
        }
    }
}
