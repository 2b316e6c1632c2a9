package io.kms4j.benchmarks.tink;

import io.kms4j.benchmarks.Slices;
import io.kms4j.benchmarks.Slices.Op;
import java.util.Locale;

/**
 * Ratios of {@link TinkBridgeBenchmark}'s methods that survive a busy shared machine: the contenders of one row
 * run in one warmed-up JVM, alternating in 100 ms slices, and each ratio is the median over the slice rounds.
 * Load from other work slows every side of a round alike; JMH forks run minutes apart each see different load
 * (a fork-per-measurement version of this class gave per-round ratios from 0.14 to 2.55 on this machine).
 *
 * <p>Printed as time per message relative to Tink's envelope over kms4j, so a ratio above 1 means that side is
 * slower than the bridge:
 *
 * <ul>
 *   <li>{@code kms4jEnvelope}: kms4j's own envelope with no data-key cache, one KMS call per message like Tink's
 *       envelope: the like-for-like figure issue 7 asks for;
 *   <li>{@code kms4jEnvelopeCached}: kms4j's envelope with its cache, as it is meant to run;
 *   <li>{@code tinkOverTinkKey}: Tink's envelope over an in-process Tink key: the bridge's cost is the kms4j call.
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.kms4j.benchmarks.tink.TinkBridgeOverheadRatio
 * [seconds per row]} (default 12). Like {@code EnvelopePairedRatio}, a cross-check beside the JMH benchmark; it
 * consumes every result but has no other JMH safeguard.
 */
public final class TinkBridgeOverheadRatio {
    private TinkBridgeOverheadRatio() {
    }

    /** Runs every row and prints one line per payload size and operation. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        System.out.println("JDK " + System.getProperty("java.version") + "; time per message relative to Tink "
                + "envelope over kms4j (median of alternating 100 ms slices)");
        for (int payload : new int[] {1024, 65536}) {
            TinkBridgeBenchmark b = new TinkBridgeBenchmark();
            b.payloadBytes = payload;
            b.setUp();
            try {
                row(payload, "encrypt", seconds, b::encryptTinkOverKms4j, b::encryptKms4jEnvelope,
                        b::encryptKms4jEnvelopeCached, b::encryptTinkOverTinkKey);
                row(payload, "decrypt", seconds, b::decryptTinkOverKms4j, b::decryptKms4jEnvelope,
                        b::decryptKms4jEnvelopeCached, b::decryptTinkOverTinkKey);
            } finally {
                b.tearDown();
            }
        }
        System.out.println("(" + Slices.sink() + ")");
    }

    private static void row(int payload, String operation, int seconds, Op bridge, Op kms4j, Op kms4jCached,
                            Op tinkKey) throws Exception {
        for (int i = 0; i < 20; i++) {
            Slices.run(bridge);
            Slices.run(kms4j);
            Slices.run(kms4jCached);
            Slices.run(tinkKey);
        }
        int rounds = (int) Math.max(10, seconds * 1_000_000_000L / (4 * Slices.SLICE_NANOS));
        double[] bridgeRate = new double[rounds];
        double[] kms4jRatio = new double[rounds];
        double[] cachedRatio = new double[rounds];
        double[] tinkKeyRatio = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double bridgeOps = Slices.run(bridge);
            bridgeRate[i] = bridgeOps;
            // time-per-message ratio X / bridge = ops(bridge) / ops(X)
            kms4jRatio[i] = bridgeOps / Slices.run(kms4j);
            cachedRatio[i] = bridgeOps / Slices.run(kms4jCached);
            tinkKeyRatio[i] = bridgeOps / Slices.run(tinkKey);
        }
        System.out.printf(Locale.ROOT, "%-7s %6d B: bridge %.1f us/message; kms4jEnvelope %.2f, "
                        + "kms4jEnvelopeCached %.2f, tinkOverTinkKey %.2f (%d rounds)%n", operation, payload,
                1e6 / Slices.median(bridgeRate), Slices.median(kms4jRatio), Slices.median(cachedRatio),
                Slices.median(tinkKeyRatio), rounds);
    }
}
