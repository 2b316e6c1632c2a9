package io.kms4j.benchmarks.envelope;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoMaterialsManager;
import com.google.crypto.tink.Aead;
import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.DataKeyCache;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Envelope encryption and decryption throughput, steady state (cache hits), against the raw JDK baseline, Tink
 * and the AWS Encryption SDK, at 64 B, 1 KiB, 16 KiB and 1 MiB. Every decrypt benchmark decrypts a message its
 * own contender made; every setup checks its round trip first, so nothing broken is ever timed.
 *
 * <p>The annotations give the full-run settings ({@code benchmarks/run.sh} passes the same on the command line):
 * one fork per parameter, 6 × 2 s warm-up (12 s, also for 1 MiB), 5 × 2 s measurement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EnvelopeBenchmark {
    static final Map<String, String> CONTEXT_MAP = Map.of("purpose", "benchmark");

    @Param({"64", "1024", "16384", "1048576"})
    public int size;

    private byte[] plaintext;
    private SecretKey rawKey;
    private byte[] rawMessage;

    private Kms kms;
    private EncryptionContext context;
    private EnvelopeEncryptor kms4jEncryptor;
    private EnvelopeDecryptor kms4jDecryptor;
    private byte[] kms4jMessage;

    private byte[] associatedData;
    private Aead tink;
    private byte[] tinkMessage;
    private Aead tinkEnvelope;
    private byte[] tinkEnvelopeMessage;

    private AwsCrypto esdk;
    private CryptoMaterialsManager esdkCmm;
    private byte[] esdkMessage;

    @Setup
    public void setup() throws GeneralSecurityException {
        plaintext = new byte[size];
        new java.util.Random(size).nextBytes(plaintext);

        rawKey = Peers.rawKey();
        RawAesGcm raw = new RawAesGcm();
        raw.setup();
        rawMessage = raw.encrypt(rawKey, plaintext);
        check("raw", raw.decrypt(rawKey, rawMessage));

        kms = Peers.localKms();
        context = EncryptionContext.of(CONTEXT_MAP);
        DataKeyCache cache = Peers.cache();
        kms4jEncryptor = Peers.kms4j(kms, cache);
        kms4jDecryptor = kms4jEncryptor.decryptor();
        kms4jMessage = kms4jEncryptor.encrypt(plaintext, context);
        check("kms4j", kms4jDecryptor.decrypt(kms4jMessage, context));

        associatedData = context.canonicalBytes();
        tink = Peers.tinkAead();
        tinkMessage = tink.encrypt(plaintext, associatedData);
        check("tink", tink.decrypt(tinkMessage, associatedData));
        tinkEnvelope = Peers.tinkEnvelope();
        tinkEnvelopeMessage = tinkEnvelope.encrypt(plaintext, associatedData);
        check("tink envelope", tinkEnvelope.decrypt(tinkEnvelopeMessage, associatedData));

        esdk = Peers.esdk();
        esdkCmm = Peers.esdkCaching(Peers.esdkMasterKey());
        esdkMessage = esdk.encryptData(esdkCmm, plaintext, CONTEXT_MAP).getResult();
        check("esdk", esdk.decryptData(esdkCmm, esdkMessage).getResult());
    }

    @TearDown
    public void tearDown() {
        kms.close();
    }

    private void check(String who, byte[] decrypted) {
        if (!Arrays.equals(plaintext, decrypted)) {
            throw new IllegalStateException(who + " does not round-trip");
        }
    }

    @Benchmark
    public byte[] rawEncrypt(RawAesGcm raw) throws GeneralSecurityException {
        return raw.encrypt(rawKey, plaintext);
    }

    @Benchmark
    public byte[] rawDecrypt(RawAesGcm raw) throws GeneralSecurityException {
        return raw.decrypt(rawKey, rawMessage);
    }

    @Benchmark
    public byte[] kms4jEncrypt() {
        return kms4jEncryptor.encrypt(plaintext, context);
    }

    @Benchmark
    public byte[] kms4jDecrypt() {
        return kms4jDecryptor.decrypt(kms4jMessage, context);
    }

    @Benchmark
    public byte[] tinkEncrypt() throws GeneralSecurityException {
        return tink.encrypt(plaintext, associatedData);
    }

    @Benchmark
    public byte[] tinkDecrypt() throws GeneralSecurityException {
        return tink.decrypt(tinkMessage, associatedData);
    }

    @Benchmark
    public byte[] tinkEnvelopeEncrypt() throws GeneralSecurityException {
        return tinkEnvelope.encrypt(plaintext, associatedData);
    }

    @Benchmark
    public byte[] tinkEnvelopeDecrypt() throws GeneralSecurityException {
        return tinkEnvelope.decrypt(tinkEnvelopeMessage, associatedData);
    }

    @Benchmark
    public byte[] esdkEncrypt() {
        return esdk.encryptData(esdkCmm, plaintext, CONTEXT_MAP).getResult();
    }

    @Benchmark
    public byte[] esdkDecrypt() {
        return esdk.decryptData(esdkCmm, esdkMessage).getResult();
    }
}
