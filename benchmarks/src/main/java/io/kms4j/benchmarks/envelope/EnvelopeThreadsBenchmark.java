package io.kms4j.benchmarks.envelope;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scaling: one thread against two, all threads sharing one encryptor, decryptor and cache (so they contend on
 * the same cache entry's message counter, the worst case). JMH reports the total throughput of all threads.
 * The raw baseline is measured the same way for reference (its threads share nothing but the JDK's
 * SecureRandom machinery).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EnvelopeThreadsBenchmark {
    @Param({"64", "1024"})
    public int size;

    private byte[] plaintext;
    private SecretKey rawKey;
    private Kms kms;
    private EncryptionContext context;
    private EnvelopeEncryptor encryptor;
    private EnvelopeDecryptor decryptor;
    private byte[] message;

    @Setup
    public void setup() {
        plaintext = new byte[size];
        new java.util.Random(size).nextBytes(plaintext);
        rawKey = Peers.rawKey();
        kms = Peers.localKms();
        context = EncryptionContext.of(EnvelopeBenchmark.CONTEXT_MAP);
        encryptor = Peers.kms4j(kms, Peers.cache());
        decryptor = encryptor.decryptor();
        message = encryptor.encrypt(plaintext, context);
        if (!java.util.Arrays.equals(plaintext, decryptor.decrypt(message, context))) {
            throw new IllegalStateException("no round trip");
        }
    }

    @TearDown
    public void tearDown() {
        kms.close();
    }

    @Benchmark
    @Threads(1)
    public byte[] kms4jEncryptOneThread() {
        return encryptor.encrypt(plaintext, context);
    }

    @Benchmark
    @Threads(2)
    public byte[] kms4jEncryptTwoThreads() {
        return encryptor.encrypt(plaintext, context);
    }

    @Benchmark
    @Threads(1)
    public byte[] kms4jDecryptOneThread() {
        return decryptor.decrypt(message, context);
    }

    @Benchmark
    @Threads(2)
    public byte[] kms4jDecryptTwoThreads() {
        return decryptor.decrypt(message, context);
    }

    @Benchmark
    @Threads(1)
    public byte[] rawEncryptOneThread(RawAesGcm raw) throws GeneralSecurityException {
        return raw.encrypt(rawKey, plaintext);
    }

    @Benchmark
    @Threads(2)
    public byte[] rawEncryptTwoThreads(RawAesGcm raw) throws GeneralSecurityException {
        return raw.encrypt(rawKey, plaintext);
    }
}
