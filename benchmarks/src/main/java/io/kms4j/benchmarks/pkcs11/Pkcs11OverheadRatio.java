package io.kms4j.benchmarks.pkcs11;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link Pkcs11OverheadBenchmark} as interleaved pairs and reports kms4j's throughput relative to raw
 * SunPKCS11 ({@code ratio = raw time / kms4j time}; 1.0 means no overhead, 0.90 means kms4j is 11% slower).
 *
 * <p>Why pairs: on a shared two-core machine the load drifts over minutes, so running all raw iterations and then
 * all kms4j iterations (plain JMH order) compares different machines. Each round runs the raw and the kms4j
 * benchmark back to back, in ABBA order (raw first in even rounds, kms4j first in odd ones), each in its own JMH
 * fork with warm-up; the ratio of each round is computed from the two neighbours, and the median over rounds is
 * reported.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.kms4j.benchmarks.pkcs11.Pkcs11OverheadRatio [rounds]} with the
 * token environment of {@link Pkcs11OverheadBenchmark} (see {@code benchmarks/run-pkcs11.sh}). Exit status 0
 * when every median ratio is at least 0.90, else 1.
 */
public final class Pkcs11OverheadRatio {
    private static final double REQUIRED_RATIO = 0.90;
    private static final int LOCK_ATTEMPTS = 180;
    private static final long LOCK_WAIT_MILLIS = 10_000;

    private Pkcs11OverheadRatio() {
    }

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        boolean ok = true;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-16s %5s %12s %12s %8s%n", "operation", "round", "raw us/op",
                "kms4j us/op", "ratio"));
        for (String operation : List.of("GenerateDataKey", "DecryptDataKey")) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double raw;
                double kms4j;
                if (round % 2 == 0) {
                    raw = score("raw" + operation);
                    kms4j = score("kms4j" + operation);
                } else {
                    kms4j = score("kms4j" + operation);
                    raw = score("raw" + operation);
                }
                double ratio = raw / kms4j;
                ratios.add(ratio);
                table.append(String.format(Locale.ROOT, "%-16s %5d %12.1f %12.1f %8.3f%n", operation, round + 1,
                        raw, kms4j, ratio));
                System.out.print(table);
                table.setLength(0);
            }
            double median = median(ratios);
            ok &= median >= REQUIRED_RATIO;
            System.out.printf(Locale.ROOT, "%s: median ratio %.3f over %d rounds (required >= %.2f): %s%n",
                    operation, median, rounds, REQUIRED_RATIO, median >= REQUIRED_RATIO ? "PASS" : "FAIL");
        }
        System.exit(ok ? 0 : 1);
    }

    private static double score(String method) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(Pkcs11OverheadBenchmark.class.getName() + "." + method + "$")
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .verbosity(VerboseMode.SILENT)
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                RunResult result = new Runner(options).runSingle();
                return result.getPrimaryResult().getScore();
            } catch (RunnerException e) {
                // JMH allows one run per machine (/tmp/jmh.lock); on a shared machine another benchmark may hold it
                // between two of our runs. Wait for it rather than measure alongside it.
                if (attempt >= LOCK_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("JMH lock")) {
                    throw e;
                }
                sleep(LOCK_WAIT_MILLIS);
            }
        }
    }

    private static void sleep(long millis) throws RunnerException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException("interrupted while waiting for the JMH lock", e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
