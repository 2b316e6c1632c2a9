package io.kms4j.benchmarks.envelope;

import io.kms4j.benchmarks.Slices;
import io.kms4j.benchmarks.Slices.Op;
import io.kms4j.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ratios that survive a busy machine: kms4j and Tink against raw AES-GCM, measured by alternating them in
 * 100 ms slices in one warmed-up JVM and taking the median of the per-slice-pair ratios. Other work on the
 * machine slows both sides of a pair alike, so the ratio holds where JMH's separate forks (run minutes apart)
 * each see different load. A cross-check for the JMH figures, not a replacement: it has no JMH safeguards
 * against dead-code elimination beyond consuming every result.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.kms4j.benchmarks.envelope.EnvelopePairedRatio out.json [seconds]
 * </pre>
 */
public final class EnvelopePairedRatio {

    private EnvelopePairedRatio() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        List<Object> rows = new ArrayList<>();
        for (int size : EnvelopeReport.SIZES) {
            EnvelopeBenchmark b = new EnvelopeBenchmark();
            b.size = size;
            b.setup();
            RawAesGcm raw = new RawAesGcm();
            raw.setup();
            try {
                Op rawEncrypt = () -> b.rawEncrypt(raw);
                Op rawDecrypt = () -> b.rawDecrypt(raw);
                rows.add(row(size, "encrypt", seconds, rawEncrypt, b::kms4jEncrypt, b::tinkEncrypt));
                rows.add(row(size, "decrypt", seconds, rawDecrypt, b::kms4jDecrypt, b::tinkDecrypt));
            } finally {
                b.tearDown();
            }
        }
        List<Object> threads = new ArrayList<>();
        for (int size : new int[] {64, 1024}) {
            EnvelopeBenchmark b = new EnvelopeBenchmark();
            b.size = size;
            b.setup();
            ThreadLocal<RawAesGcm> raw = ThreadLocal.withInitial(() -> {
                RawAesGcm r = new RawAesGcm();
                try {
                    r.setup();
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                return r;
            });
            try {
                threads.add(scaling(size, "rawDecrypt (control: shares nothing)", seconds,
                        () -> b.rawDecrypt(raw.get())));
                threads.add(scaling(size, "kms4jEncrypt", seconds, b::kms4jEncrypt));
                threads.add(scaling(size, "kms4jDecrypt", seconds, b::kms4jDecrypt));
            } finally {
                b.tearDown();
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jdkVersion", System.getProperty("java.version"));
        result.put("method", "median over 100 ms slice pairs, alternating, after warm-up");
        result.put("rows", rows);
        result.put("threads", threads);
        Files.writeString(out, EnvelopeReport.pretty(result), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + Slices.sink() + ")");
    }

    private static Map<String, Object> row(int size, String op, int seconds, Op raw, Op kms4j, Op tink)
            throws Exception {
        // Warm-up: each side runs until compiled and steady.
        for (int i = 0; i < 20; i++) {
            Slices.run(raw);
            Slices.run(kms4j);
            Slices.run(tink);
        }
        int pairs = (int) Math.max(10, seconds * 1_000_000_000L / (3 * Slices.SLICE_NANOS));
        double[] kms4jToRaw = new double[pairs];
        double[] tinkToRaw = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double r = Slices.run(raw);
            kms4jToRaw[i] = Slices.run(kms4j) / r;
            tinkToRaw[i] = Slices.run(tink) / r;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("size", size);
        row.put("operation", op);
        row.put("pairs", pairs);
        row.put("kms4jToRaw", median(kms4jToRaw));
        row.put("tinkToRaw", median(tinkToRaw));
        row.put("kms4jToTink", median(kms4jToRaw) / median(tinkToRaw));
        System.out.printf(Locale.ROOT, "%8d %s kms4j/raw %.3f tink/raw %.3f%n", size, op, median(kms4jToRaw),
                median(tinkToRaw));
        return row;
    }

    /**
     * Two threads against one, alternating a one-thread slice and a two-thread slice. The control (raw
     * decryption, per-thread cipher, nothing shared) shows what the machine allows right now: on a 2-core
     * machine whose second core is busy, nothing scales, and kms4j is judged against the control.
     */
    private static Map<String, Object> scaling(int size, String name, int seconds, Op op) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                Slices.run(op);
                twoThreadSlice(pool, op);
            }
            int pairs = (int) Math.max(10, seconds * 1_000_000_000L / (3 * Slices.SLICE_NANOS));
            double[] ratios = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                double one = Slices.run(op);
                ratios[i] = twoThreadSlice(pool, op) / one;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", size);
            row.put("benchmark", name);
            row.put("pairs", pairs);
            row.put("twoToOne", median(ratios));
            System.out.printf(Locale.ROOT, "%8d %s two threads / one %.3f%n", size, name, median(ratios));
            return row;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Total operations per second of two threads running {@code op} for one slice. */
    private static double twoThreadSlice(java.util.concurrent.ExecutorService pool, Op op) throws Exception {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Double> task = () -> {
            start.await();
            return Slices.run(op);
        };
        java.util.concurrent.Future<Double> a = pool.submit(task);
        java.util.concurrent.Future<Double> b = pool.submit(task);
        return a.get() + b.get();
    }

    /** The median, rounded to three decimals for the report. */
    private static double median(double[] values) {
        return Math.round(Slices.median(values) * 1000) / 1000.0;
    }

    /**
     * Reads a file this class wrote: "size operation" to its ratio row, and "threads size benchmark" to its
     * scaling row.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> read(Path file) throws java.io.IOException {
        Map<String, Object> m = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Object o : (List<Object>) m.get("rows")) {
            Map<String, Object> row = (Map<String, Object>) o;
            rows.put(row.get("size") + " " + row.get("operation"), row);
        }
        for (Object o : (List<Object>) m.getOrDefault("threads", List.of())) {
            Map<String, Object> row = (Map<String, Object>) o;
            rows.put("threads " + row.get("size") + " " + row.get("benchmark"), row);
        }
        return rows;
    }
}
