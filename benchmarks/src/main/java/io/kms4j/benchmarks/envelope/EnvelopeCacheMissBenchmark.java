package io.kms4j.benchmarks.envelope;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoMaterialsManager;
import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache misses: every message gets a new data key (encrypt) or unwraps its data key (decrypt). Compare with the
 * cache-hit figures of {@link EnvelopeBenchmark} at the same size. For kms4j a miss is GenerateDataKey (or Decrypt)
 * on the local provider through the audited {@code Kms} API plus the HKDF derivation; for the AWS Encryption SDK
 * it is its default CMM over a local JCE master key. (Tink's envelope AEAD in {@link EnvelopeBenchmark} is
 * always a miss: it has no cache.)
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EnvelopeCacheMissBenchmark {
    @Param({"1024"})
    public int size;

    private byte[] plaintext;
    private Kms kms;
    private EncryptionContext context;
    private EnvelopeEncryptor kms4jEncryptor;
    private EnvelopeDecryptor kms4jDecryptor;
    private byte[] kms4jMessage;
    private AwsCrypto esdk;
    private CryptoMaterialsManager esdkCmm;
    private byte[] esdkMessage;

    @Setup
    public void setup() {
        plaintext = new byte[size];
        new java.util.Random(size).nextBytes(plaintext);
        kms = Peers.localKms();
        context = EncryptionContext.of(EnvelopeBenchmark.CONTEXT_MAP);
        kms4jEncryptor = Peers.kms4j(kms, null);
        kms4jDecryptor = kms4jEncryptor.decryptor();
        kms4jMessage = kms4jEncryptor.encrypt(plaintext, context);
        check(kms4jDecryptor.decrypt(kms4jMessage, context));
        esdk = Peers.esdk();
        esdkCmm = Peers.esdkUncached(Peers.esdkMasterKey());
        esdkMessage = esdk.encryptData(esdkCmm, plaintext, EnvelopeBenchmark.CONTEXT_MAP).getResult();
        check(esdk.decryptData(esdkCmm, esdkMessage).getResult());
    }

    @TearDown
    public void tearDown() {
        kms.close();
    }

    private void check(byte[] decrypted) {
        if (!Arrays.equals(plaintext, decrypted)) {
            throw new IllegalStateException("no round trip");
        }
    }

    @Benchmark
    public byte[] kms4jEncryptMiss() {
        return kms4jEncryptor.encrypt(plaintext, context);
    }

    @Benchmark
    public byte[] kms4jDecryptMiss() {
        return kms4jDecryptor.decrypt(kms4jMessage, context);
    }

    @Benchmark
    public byte[] esdkEncryptMiss() {
        return esdk.encryptData(esdkCmm, plaintext, EnvelopeBenchmark.CONTEXT_MAP).getResult();
    }

    @Benchmark
    public byte[] esdkDecryptMiss() {
        return esdk.decryptData(esdkCmm, esdkMessage).getResult();
    }
}
