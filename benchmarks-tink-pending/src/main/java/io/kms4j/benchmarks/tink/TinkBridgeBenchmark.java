package io.kms4j.benchmarks.tink;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.kms4j.Kms;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditSink;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.tink.Kms4jKmsClient;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Tink's {@code KmsEnvelopeAead} with its key-encryption key in kms4j (the local provider, through
 * {@link Kms4jKmsClient}) against the same envelope with Tink's own in-process AES-256-GCM key as the KEK. Both
 * sides do identical Tink work (a fresh DEK, AES-256-GCM over the payload); the difference is what wrapping and
 * unwrapping the DEK costs through kms4j: request validation, the keyring lookup, the K4J blob, AES-GCM, and one
 * audit event per call (built and serialized to JSON, then dropped, so no disk I/O is measured).
 *
 * <p>The comparison with kms4j's own envelope encryption ({@code io.kms4j.envelope}) joins here once that
 * package is on the same branch; see the README beside this module.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TinkBridgeBenchmark {
    private static final byte[] ASSOCIATED_DATA = "orders/42".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Payload bytes per call: a typical record, and a larger document. */
    @Param({"1024", "65536"})
    public int payloadBytes;

    private Kms kms;
    private Aead envelopeOverKms4j;
    private Aead envelopeOverTinkKey;
    private byte[] payload;
    private byte[] ciphertextOverKms4j;
    private byte[] ciphertextOverTinkKey;

    /** Makes a kms4j key and a Tink key, and one ciphertext under each for the decrypt benchmarks. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        AeadConfig.register();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(new SerializingDiscardingSink()).build();
        Kms4jKmsClient client = Kms4jKmsClient.of(kms);
        String keyUri = Kms4jKmsClient.keyUri(kms.createKey().arn());
        envelopeOverKms4j = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, client.getAead(keyUri));

        Aead tinkKek = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        envelopeOverTinkKey = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, tinkKek);

        payload = new byte[payloadBytes];
        new Random(42).nextBytes(payload);
        ciphertextOverKms4j = envelopeOverKms4j.encrypt(payload, ASSOCIATED_DATA);
        ciphertextOverTinkKey = envelopeOverTinkKey.encrypt(payload, ASSOCIATED_DATA);
    }

    /** Closes the kms4j client. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kms.close();
    }

    /** Envelope encryption, DEK wrapped by kms4j Encrypt. */
    @Benchmark
    public byte[] encryptKms4jKek() throws GeneralSecurityException {
        return envelopeOverKms4j.encrypt(payload, ASSOCIATED_DATA);
    }

    /** Envelope encryption, DEK wrapped by an in-process Tink AES-256-GCM key. */
    @Benchmark
    public byte[] encryptTinkKek() throws GeneralSecurityException {
        return envelopeOverTinkKey.encrypt(payload, ASSOCIATED_DATA);
    }

    /** Envelope decryption, DEK unwrapped by kms4j Decrypt. */
    @Benchmark
    public byte[] decryptKms4jKek() throws GeneralSecurityException {
        return envelopeOverKms4j.decrypt(ciphertextOverKms4j, ASSOCIATED_DATA);
    }

    /** Envelope decryption, DEK unwrapped by an in-process Tink AES-256-GCM key. */
    @Benchmark
    public byte[] decryptTinkKek() throws GeneralSecurityException {
        return envelopeOverTinkKey.decrypt(ciphertextOverTinkKey, ASSOCIATED_DATA);
    }

    /**
     * An audit sink that does what every real sink does first, serialize the event to JSON, and then drops it, so
     * the benchmark measures kms4j's audit work but not a disk or a log pipeline. Thread-safe.
     */
    static final class SerializingDiscardingSink implements AuditSink {
        private final AtomicLong bytes = new AtomicLong();

        @Override
        public void record(AuditEvent event) {
            bytes.addAndGet(event.toJson().length());
        }
    }
}
