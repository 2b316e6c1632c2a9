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
 * Paired ratios of {@link TinkBridgeBenchmark} methods, measured so that a busy shared machine disturbs them little:
 * each round runs the two methods of a pair back to back in fresh JMH forks, alternating which goes first, and the
 * result is the median of the per-round ratios. Plain JMH on all benchmarks in sequence lets minutes of foreign load
 * fall on one side only. The pairs, as time per message (so a ratio above 1 means the first is slower):
 *
 * <ol>
 *   <li>Tink envelope over kms4j / kms4j envelope (no cache): the bridge against kms4j's own envelope, one KMS
 *       call per message on both sides; the figure issue 7 asks for;
 *   <li>Tink envelope over kms4j / Tink envelope over an in-process Tink key: what the KMS call costs.
 * </ol>
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
        String[][] pairs = {{"TinkOverKms4j", "Kms4jEnvelope"}, {"TinkOverKms4j", "TinkOverTinkKey"}};
        for (String[] pair : pairs) {
            for (String payload : PAYLOADS) {
                for (String operation : OPERATIONS) {
                    double[] first = new double[rounds];
                    double[] second = new double[rounds];
                    double[] ratios = new double[rounds];
                    for (int round = 0; round < rounds; round++) {
                        if (round % 2 == 0) {
                            first[round] = measure(operation + pair[0], payload);
                            second[round] = measure(operation + pair[1], payload);
                        } else {
                            second[round] = measure(operation + pair[1], payload);
                            first[round] = measure(operation + pair[0], payload);
                        }
                        ratios[round] = first[round] / second[round];
                    }
                    summary.add(String.format(Locale.ROOT,
                            "%-7s %6s B: %s median %8.2f us/op, %s median %8.2f us/op, median ratio %.2f "
                                    + "(per-round %s)", operation, payload, pair[0], median(first), pair[1],
                            median(second), median(ratios), format(ratios)));
                }
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
