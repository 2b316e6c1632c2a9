package io.kms4j.benchmarks.envelope;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What two pieces of every cached envelope operation cost on this machine: reading the cache clock (needed so an
 * expired entry is never used) and counting a hit. Cited in {@code benchmarks/ANALYSIS.md}; run alone:
 * {@code java -jar benchmarks/target/benchmarks.jar ClockCostBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ClockCostBenchmark {
    private final Clock clock = Clock.systemUTC();
    private final LongAdder counter = new LongAdder();

    /** {@code Clock.systemUTC().millis()}, what the cache reads per lookup. */
    @Benchmark
    public long clockMillis() {
        return clock.millis();
    }

    /** {@code System.nanoTime()}, the alternative time source; for comparison. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** A {@link LongAdder} increment, how the cache counts hits. */
    @Benchmark
    public void longAdderIncrement() {
        counter.increment();
    }
}
