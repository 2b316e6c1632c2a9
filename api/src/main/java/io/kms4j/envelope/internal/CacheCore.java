package io.kms4j.envelope.internal;

import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The data key cache's machinery behind {@link io.kms4j.envelope.DataKeyCache}: a {@link ConcurrentHashMap}
 * from cache key to entry, with no lock of its own.
 *
 * <ul>
 *   <li>A hit is one map lookup and, on the encrypt side, one atomic increment on the entry.
 *   <li>A miss is single-flight: the first thread puts a placeholder, calls the backend outside any lock, and
 *       publishes the entry; threads that miss meanwhile wait for that one result instead of calling the backend
 *       themselves. So a burst of threads costs one backend call per data key, not one per thread.
 *   <li>An entry found expired, or out of messages or bytes, is removed and {@linkplain CachedDataKey#retire()
 *       retired} (its key wiped). Expired entries nobody asks for are swept on every miss, and the oldest entries
 *       go when the cache is over capacity.
 * </ul>
 *
 * <p>Not API. Thread safety: safe for concurrent use.
 */
public final class CacheCore {
    private final ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long maxAgeMillis;
    private final long maxMessages;
    private final long maxBytes;
    private final int capacity;
    private final LongAdder encryptHits = new LongAdder();
    private final LongAdder encryptMisses = new LongAdder();
    private final LongAdder decryptHits = new LongAdder();
    private final LongAdder decryptMisses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private volatile boolean closed;

    /** Entries being made: the placeholder other threads wait on. */
    private static final class Loading {
        final CompletableFuture<CachedDataKey> result = new CompletableFuture<>();
    }

    public CacheCore(Clock clock, long maxAgeMillis, long maxMessages, long maxBytes, int capacity) {
        this.clock = clock;
        this.maxAgeMillis = maxAgeMillis;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.capacity = capacity;
    }

    /** The cache clock's current time in milliseconds. */
    public long nowMillis() {
        return clock.millis();
    }

    /** When an entry made at {@code createdAtMillis} expires. */
    public long expiresAt(long createdAtMillis) {
        long t = createdAtMillis + maxAgeMillis;
        return t < createdAtMillis ? Long.MAX_VALUE : t;
    }

    /** The message limit per data key. */
    public long maxMessages() {
        return maxMessages;
    }

    /** The plaintext byte limit per data key ({@code Long.MAX_VALUE}: none). */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The live entry for {@code probe}: waits when another thread is making it; removes and retires it when
     * expired. Does not count a hit: the caller does, once the entry has actually served it.
     *
     * @return the entry, or null when there is none (the caller then {@linkplain #load loads} one)
     * @throws KmsException the loading thread's failure, when this thread waited for it
     */
    public CachedDataKey get(Object probe) {
        for (;;) {
            Object v = map.get(probe);
            if (v == null || closed) {
                return null;
            }
            if (v instanceof Loading) {
                await((Loading) v);
                continue;
            }
            CachedDataKey entry = (CachedDataKey) v;
            if (entry.isRetired() || entry.isExpired(clock.millis())) {
                evict(probe, entry);
                continue;
            }
            return entry;
        }
    }

    /**
     * Makes an entry with {@code loader} (the backend calls happen here, outside any lock) and publishes it,
     * unless another thread is already making one for the same key.
     *
     * @param key the probe; a copy is stored
     * @param copyKey makes the stored copy of the probe
     * @return the new entry, or null when another thread was already loading it (the caller looks it up again).
     *     When the cache is closed or was cleared meanwhile, the entry is returned but not
     *     {@linkplain CachedDataKey#isShared() shared}: the caller owns it alone and retires it after use.
     * @throws KmsException whatever the loader throws
     */
    public CachedDataKey load(Object key, Supplier<Object> copyKey, Supplier<CachedDataKey> loader) {
        if (closed) {
            return loader.get();
        }
        Object stored = copyKey.get();
        Loading placeholder = new Loading();
        Object existing = map.putIfAbsent(stored, placeholder);
        if (existing != null) {
            if (existing instanceof Loading) {
                await((Loading) existing);
            }
            return null;
        }
        CachedDataKey entry;
        try {
            entry = loader.get();
        } catch (RuntimeException | Error e) {
            map.remove(stored, placeholder);
            placeholder.result.completeExceptionally(e);
            throw e;
        }
        // Shared before it is published: a thread that finds it in the map must never take it for its own.
        entry.setShared(true);
        if (!map.replace(stored, placeholder, entry)) {
            // The cache was cleared or closed while loading: nobody else can see the entry; it serves this caller.
            entry.setShared(false);
            placeholder.result.complete(entry);
            return entry;
        }
        placeholder.result.complete(entry);
        sweep(entry);
        return entry;
    }

    /** Removes {@code entry} if it is still mapped under {@code key}, and retires it. */
    public void evict(Object key, CachedDataKey entry) {
        if (map.remove(key, entry)) {
            evictions.increment();
        }
        entry.retire();
    }

    /** Counts an encrypt-side hit. */
    public void encryptHit() {
        encryptHits.increment();
    }

    /** Counts an encrypt-side miss (a new data key). */
    public void encryptMiss() {
        encryptMisses.increment();
    }

    /** Counts a decrypt-side hit. */
    public void decryptHit() {
        decryptHits.increment();
    }

    /** Counts a decrypt-side miss (an unwrap call). */
    public void decryptMiss() {
        decryptMisses.increment();
    }

    /** Encrypt hits, encrypt misses, decrypt hits, decrypt misses, evictions. */
    public long[] counters() {
        return new long[] {encryptHits.sum(), encryptMisses.sum(), decryptHits.sum(), decryptMisses.sum(),
            evictions.sum()};
    }

    /** The number of live entries (placeholders excluded). */
    public int size() {
        int n = 0;
        for (Object v : map.values()) {
            if (v instanceof CachedDataKey) {
                n++;
            }
        }
        return n;
    }

    /** Removes and retires expired entries; then the oldest ones while over capacity. */
    public void cleanUp() {
        sweep(null);
    }

    /** Removes and retires every entry. */
    public void clear() {
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            if (e.getValue() instanceof CachedDataKey) {
                evict(e.getKey(), (CachedDataKey) e.getValue());
            }
        }
    }

    /** Clears the cache and stops it caching: later lookups miss and loads are not kept. Idempotent. */
    public void close() {
        closed = true;
        clear();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    private void sweep(CachedDataKey keep) {
        long now = clock.millis();
        List<Map.Entry<Object, CachedDataKey>> live = new ArrayList<>();
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            if (e.getValue() instanceof CachedDataKey) {
                CachedDataKey entry = (CachedDataKey) e.getValue();
                if (entry.isExpired(now)) {
                    evict(e.getKey(), entry);
                } else {
                    live.add(Map.entry(e.getKey(), entry));
                }
            }
        }
        int excess = live.size() - capacity;
        if (excess > 0) {
            live.sort(Comparator.comparingLong(e -> e.getValue().createdAtMillis()));
            for (Map.Entry<Object, CachedDataKey> e : live) {
                if (excess == 0) {
                    break;
                }
                if (e.getValue() != keep) {
                    evict(e.getKey(), e.getValue());
                    excess--;
                }
            }
        }
    }

    private static void await(Loading loading) {
        try {
            loading.result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KmsException) {
                throw (KmsException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new KmsInternalException("loading a data key failed: " + cause.getClass().getSimpleName(), cause);
        }
    }
}
