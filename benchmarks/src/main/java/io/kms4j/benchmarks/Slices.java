package io.kms4j.benchmarks;

import java.util.Arrays;

/**
 * Time slices for ratios that survive a busy shared machine: contenders alternate in short slices inside one
 * warmed-up JVM, so load from other work falls on both sides of each ratio, and the median over rounds is
 * reported. Used by {@code EnvelopePairedRatio} and {@code TinkBridgeOverheadRatio}.
 *
 * <p>Thread safety: {@link #run} may be called from several threads at once (the result sink is only a guard
 * against dead-code elimination).
 */
public final class Slices {
    /** The length of one slice: 100 ms. */
    public static final long SLICE_NANOS = 100_000_000L;
    private static volatile long sink;

    private Slices() {
    }

    /** One operation of a contender; its result is consumed so that the JIT cannot drop the work. */
    @FunctionalInterface
    public interface Op {
        /** Runs the operation once. */
        byte[] run() throws Exception;
    }

    /** Runs {@code op} repeatedly for one slice and returns its operations per second. */
    public static double run(Op op) throws Exception {
        long start = System.nanoTime();
        long end = start + SLICE_NANOS;
        long n = 0;
        long now;
        long local = 0;
        do {
            byte[] r = op.run();
            local += r[r.length - 1];
            n++;
            now = System.nanoTime();
        } while (now < end);
        sink += local; // consumed, so no result can be optimized away
        return n * 1e9 / (now - start);
    }

    /** The median of {@code values} (not modified). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The consumed results, to print once at the end so that the sink is observably used. */
    public static long sink() {
        return sink;
    }
}
