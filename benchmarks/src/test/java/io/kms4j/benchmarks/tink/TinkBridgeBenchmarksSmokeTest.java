package io.kms4j.benchmarks.tink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the Tink bridge benchmark from rotting: each of its methods runs briefly in this JVM through the real JMH
 * runner at 1 KiB, over the real bridge and the real local provider. The figures of such a run mean nothing;
 * the measurement is {@link TinkBridgeOverheadRatio} (see docs/TINK.md).
 */
class TinkBridgeBenchmarksSmokeTest {
    @Test
    void benchmarks_tinyInProcessRun_everyMethodDoesWork() throws Exception {
        System.setProperty("jmh.ignoreLock", "true"); // a developer's full run may hold the lock meanwhile
        Options options = new OptionsBuilder()
                .include(TinkBridgeBenchmark.class.getName().replace(".", "\\.") + "\\.")
                .param("payloadBytes", "1024")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(8, results.size(), "encrypt and decrypt of four contenders");
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark() + " did no work");
        }
    }
}
