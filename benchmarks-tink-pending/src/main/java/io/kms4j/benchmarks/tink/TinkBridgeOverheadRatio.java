package io.kms4j.benchmarks.tink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The ratio "Tink envelope over a kms4j KEK" / "Tink envelope over an in-process Tink KEK", measured so that a busy
 * shared machine disturbs it little: each round runs the two {@link TinkBridgeBenchmark} methods back to back in
 * fresh JMH forks, alternating which goes first, and the result is the median of the per-round ratios. Plain JMH on
 * all benchmarks in sequence lets minutes of foreign load fall on one side only.
 *
 * <p>Usage: {@code TinkBridgeOverheadRatio [rounds]} (default 5).
 */
public final class TinkBridgeOverheadRatio {
    private static final String[] OPERATIONS = {"encrypt", "decrypt"};
    private static final String[] PAYLOADS = {"1024", "65536"};

    private TinkBridgeOverheadRatio() {
    }

    /** Runs the rounds and prints one line per operation and payload size. */
    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> summary = new ArrayList<>();
        for (String payload : PAYLOADS) {
            for (String operation : OPERATIONS) {
                double[] kms4j = new double[rounds];
                double[] tink = new double[rounds];
                double[] ratios = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    boolean kms4jFirst = round % 2 == 0;
                    if (kms4jFirst) {
                        kms4j[round] = measure(operation + "Kms4jKek", payload);
                        tink[round] = measure(operation + "TinkKek", payload);
                    } else {
                        tink[round] = measure(operation + "TinkKek", payload);
                        kms4j[round] = measure(operation + "Kms4jKek", payload);
                    }
                    ratios[round] = kms4j[round] / tink[round];
                }
                summary.add(String.format(Locale.ROOT,
                        "%-7s payload %6s B: kms4j KEK median %8.2f us/op, Tink KEK median %8.2f us/op, "
                                + "median ratio %.2f (per-round ratios %s)",
                        operation, payload, median(kms4j), median(tink), median(ratios), format(ratios)));
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    private static double measure(String method, String payload) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(TinkBridgeBenchmark.class.getName() + "\\." + method + "$")
                .param("payloadBytes", payload)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .shouldDoGC(true)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (double v : values) {
            s.append(s.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return s.append(']').toString();
    }
}
