package io.kms4j.benchmarks.envelope;

import io.kms4j.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final long SLICE_NANOS = 100_000_000L;
    private static long sink;

    private EnvelopePairedRatio() {
    }

    @FunctionalInterface
    private interface Op {
        byte[] run() throws Exception;
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
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jdkVersion", System.getProperty("java.version"));
        result.put("method", "median over 100 ms slice pairs, alternating, after warm-up");
        result.put("rows", rows);
        Files.writeString(out, EnvelopeReport.pretty(result), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + sink + ")");
    }

    private static Map<String, Object> row(int size, String op, int seconds, Op raw, Op kms4j, Op tink)
            throws Exception {
        // Warm-up: each side runs until compiled and steady.
        for (int i = 0; i < 20; i++) {
            slice(raw);
            slice(kms4j);
            slice(tink);
        }
        int pairs = (int) Math.max(10, seconds * 1_000_000_000L / (3 * SLICE_NANOS));
        double[] kms4jToRaw = new double[pairs];
        double[] tinkToRaw = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double r = slice(raw);
            kms4jToRaw[i] = slice(kms4j) / r;
            tinkToRaw[i] = slice(tink) / r;
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

    /** Operations per second over one slice. */
    private static double slice(Op op) throws Exception {
        long start = System.nanoTime();
        long end = start + SLICE_NANOS;
        long n = 0;
        long now;
        do {
            byte[] r = op.run();
            sink += r[r.length - 1];
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return Math.round(m * 1000) / 1000.0;
    }

    /** Reads a file this class wrote: size and operation to its row. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> read(Path file) throws java.io.IOException {
        Map<String, Object> m = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Object o : (List<Object>) m.get("rows")) {
            Map<String, Object> row = (Map<String, Object>) o;
            rows.put(row.get("size") + " " + row.get("operation"), row);
        }
        return rows;
    }
}
