package io.kms4j.benchmarks.envelope;

import io.kms4j.envelope.internal.KeyDerivation;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The design measurement behind "one key derivation per data key, not per message" (docs/ENVELOPE.md): what a
 * per-message HKDF and a per-message AES key would add to a 64-byte AES-GCM encryption. Not part of the
 * comparison run; run it alone:
 * {@code java -jar benchmarks/target/benchmarks.jar KeyDerivationCostBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class KeyDerivationCostBenchmark {
    private final byte[] dataKey = new byte[32];
    private final byte[] header = new byte[230];
    private final byte[] plaintext = new byte[64];
    private final byte[] iv = new byte[12];
    private SecretKeySpec key;
    private Cipher cipher;
    private int counter;

    @Setup
    public void setup() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        random.nextBytes(dataKey);
        random.nextBytes(header);
        key = new SecretKeySpec(dataKey, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    }

    private byte[] encrypt(SecretKeySpec k) throws GeneralSecurityException {
        iv[0] = (byte) counter;
        iv[1] = (byte) (counter >>> 8);
        iv[2] = (byte) (counter++ >>> 16);
        cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
        return cipher.doFinal(plaintext);
    }

    /** What kms4j does per message: AES-GCM under the cached content key (same key, fresh IV). */
    @Benchmark
    public byte[] gcm64SameKey() throws GeneralSecurityException {
        return encrypt(key);
    }

    /** A new AES key per message (the JDK recomputes the key schedule), no derivation. */
    @Benchmark
    public byte[] gcm64NewKeyEachMessage() throws GeneralSecurityException {
        dataKey[0]++;
        return encrypt(new SecretKeySpec(dataKey, "AES"));
    }

    /** HKDF-SHA-256 (extract and two expands, with the header hash), as a per-message design would run it. */
    @Benchmark
    public Object hkdfDerivation() {
        header[0]++;
        return KeyDerivation.derive(dataKey, header, header.length);
    }
}
