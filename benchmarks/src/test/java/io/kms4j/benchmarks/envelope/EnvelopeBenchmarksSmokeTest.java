package io.kms4j.benchmarks.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the envelope benchmarks from rotting: every one of them runs (in this JVM, briefly, at 1 KiB) through the
 * real JMH runner, each setup checks its contender's round trip, and the report is made from the JMH output.
 * The figures of such a run mean nothing; the full run is {@code benchmarks/run.sh}.
 */
class EnvelopeBenchmarksSmokeTest {
    @Test
    @SuppressWarnings("unchecked")
    void benchmarks_tinyInProcessRun_everyBenchmarkRunsAndTheReportReadsIt(@TempDir Path dir) throws Exception {
        System.setProperty("jmh.ignoreLock", "true"); // a developer's full run may hold the lock meanwhile
        Path json = dir.resolve("jdk-smoke.json");
        Options options = new OptionsBuilder()
                .include("io\\.kms4j\\.benchmarks\\.envelope\\.")
                .param("size", "1024")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(26, results.size(), "10 contender, 4 cache-miss, 6 thread, 6 design benchmarks");
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark() + " did no work");
        }

        EnvelopeReport.Run run = EnvelopeReport.read(json);
        assertEquals(26, run.scores().size());
        EnvelopeReport.Score kms4j = run.get("EnvelopeBenchmark.kms4jEncrypt", 1024);
        assertTrue(kms4j.bytesPerOp() > 1024, "the GC profiler's allocation figure is read: " + kms4j);
        Map<String, Object> summary = EnvelopeReport.summarize(List.of(run));
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) summary.get("runs")).get(0);
        assertEquals(2, ((List<Object>) first.get("results")).size(), "encrypt and decrypt rows at 1 KiB");
        assertEquals(2, ((List<Object>) first.get("cacheHitVersusMiss")).size());
        assertEquals(3, ((List<Object>) first.get("threads")).size());
        assertFalse((Boolean) first.get("valid"), "no 16 KiB raw figure: a smoke run can never pass as valid");
        String readme = EnvelopeReport.readme(summary, List.of("chart.svg"), "## Analysis\n\ntext");
        assertTrue(readme.contains("| 1 KiB | encrypt |"), readme);
        assertTrue(readme.contains("INVALID RUN"));
        String svg = EnvelopeReport.chart(run);
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect"), svg);
    }
}
