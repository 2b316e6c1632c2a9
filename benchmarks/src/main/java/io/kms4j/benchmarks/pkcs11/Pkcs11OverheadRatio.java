package io.kms4j.benchmarks.pkcs11;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link Pkcs11OverheadBenchmark} as interleaved pairs and reports kms4j's speed relative to raw SunPKCS11
 * ({@code ratio = raw time / kms4j time}; 1.0 means no overhead, 0.90 means kms4j takes 11% longer).
 *
 * <p>Why pairs: on a shared two-core machine the load drifts over minutes, so running all raw iterations and then
 * all kms4j iterations (plain JMH order) compares different machines. Each round runs the raw and the kms4j
 * benchmark back to back, in ABBA order (raw first in even rounds, kms4j first in odd ones), each in its own JMH
 * fork with warm-up; the ratio of each round is computed from the two neighbours, and the median over rounds is
 * reported.
 *
 * <p>Why the median operation time: JMH's sample-time mode records the time of individual operations; another
 * process taking the CPU shows up as a long tail of preempted operations, which moves the mean by tens of percent
 * but barely moves the median. The ratio is computed from the per-operation medians (p50); the ratio of means is
 * printed beside it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.kms4j.benchmarks.pkcs11.Pkcs11OverheadRatio [rounds]} with the
 * token environment of {@link Pkcs11OverheadBenchmark} (see {@code benchmarks/run-pkcs11.sh}). Exit status 0
 * when every median ratio is at least 0.90, else 1.
 */
public final class Pkcs11OverheadRatio {
    private static final double REQUIRED_RATIO = 0.90;

    private Pkcs11OverheadRatio() {
    }

    /**
     * Runs the rounds and prints one line per round and a verdict per operation.
     *
     * @param args optional: the number of rounds per operation (default 6)
     * @throws RunnerException when JMH cannot run a benchmark
     * @throws IOException when the JMH lock file cannot be opened
     */
    public static void main(String[] args) throws RunnerException, IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        // Reserve the machine for the whole comparison: JMH allows one run at a time through this lock file, but
        // takes it per run, so another benchmark could slip in between our rounds and measure beside them. Wait
        // for the lock once, hold it to the end, and tell our own runs not to take it again.
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            System.setProperty("jmh.ignoreLock", "true");
            System.exit(compare(rounds) ? 0 : 1);
        }
    }

    private static boolean compare(int rounds) throws RunnerException {
        boolean ok = true;
        System.out.printf(Locale.ROOT, "%-16s %5s %12s %12s %8s %12s %12s %8s%n", "operation", "round",
                "raw p50 us", "kms4j p50 us", "ratio", "raw mean us", "kms4j mean", "ratio");
        for (String operation : List.of("GenerateDataKey", "DecryptDataKey")) {
            List<Double> ratios = new ArrayList<>();
            List<Double> meanRatios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                Statistics raw;
                Statistics kms4j;
                if (round % 2 == 0) {
                    raw = measure("raw" + operation);
                    kms4j = measure("kms4j" + operation);
                } else {
                    kms4j = measure("kms4j" + operation);
                    raw = measure("raw" + operation);
                }
                double ratio = raw.getPercentile(50) / kms4j.getPercentile(50);
                double meanRatio = raw.getMean() / kms4j.getMean();
                ratios.add(ratio);
                meanRatios.add(meanRatio);
                System.out.printf(Locale.ROOT, "%-16s %5d %12.1f %12.1f %8.3f %12.1f %12.1f %8.3f%n", operation,
                        round + 1, raw.getPercentile(50), kms4j.getPercentile(50), ratio, raw.getMean(),
                        kms4j.getMean(), meanRatio);
            }
            double median = median(ratios);
            ok &= median >= REQUIRED_RATIO;
            System.out.printf(Locale.ROOT, "%s: median ratio %.3f over %d rounds (required >= %.2f): %s;"
                            + " median ratio of means %.3f%n", operation, median, rounds, REQUIRED_RATIO,
                    median >= REQUIRED_RATIO ? "PASS" : "FAIL", median(meanRatios));
        }
        return ok;
    }

    /** One JMH fork of one benchmark in sample-time mode: the distribution of single-operation times in us. */
    private static Statistics measure(String method) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(Pkcs11OverheadBenchmark.class.getName() + "." + method + "$")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(4))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getStatistics();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
