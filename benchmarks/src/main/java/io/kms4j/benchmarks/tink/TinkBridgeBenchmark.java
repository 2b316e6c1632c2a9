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
import io.kms4j.envelope.DataKeyCache;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import java.time.Duration;
import java.util.Map;
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
 * The Tink bridge against kms4j's own envelope encryption, on the same kms4j key (the local provider, in memory):
 *
 * <ul>
 *   <li>{@code *TinkOverKms4j}: Tink's {@code KmsEnvelopeAead} with its key-encryption key in kms4j, through
 *       {@link Kms4jKmsClient}: a fresh DEK per message, wrapped by one kms4j Encrypt (unwrapped by one Decrypt);
 *   <li>{@code *Kms4jEnvelope}: kms4j's {@link EnvelopeEncryptor} without a data-key cache, so that it too makes one
 *       KMS call per message (GenerateDataKey, or Decrypt), the like-for-like comparison;
 *   <li>{@code *Kms4jEnvelopeCached}: the same with a {@link DataKeyCache}, as kms4j is meant to run: almost no
 *       KMS calls in steady state;
 *   <li>{@code *TinkOverTinkKey}: Tink's envelope with an in-process Tink AES-256-GCM key as the KEK, showing what
 *       the KMS call itself costs.
 * </ul>
 *
 * Every kms4j call leaves one audit event, built and serialized to JSON, then dropped, so no disk is measured.
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

    /** kms4j binds Tink's associated data the same way the bridge does: as the encryption context. */
    private static final Map<String, String> CONTEXT = Map.of("associatedData", "6f72646572732f3432");

    private Kms kms;
    private Aead envelopeOverKms4j;
    private Aead envelopeOverTinkKey;
    private EnvelopeEncryptor kms4jEnvelope;
    private EnvelopeDecryptor kms4jEnvelopeDecryptor;
    private DataKeyCache cache;
    private EnvelopeEncryptor kms4jEnvelopeCached;
    private EnvelopeDecryptor kms4jEnvelopeCachedDecryptor;
    private byte[] payload;
    private byte[] ciphertextOverKms4j;
    private byte[] ciphertextOverTinkKey;
    private byte[] kms4jMessage;

    /** Makes a kms4j key and a Tink key, and one ciphertext under each for the decrypt benchmarks. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        AeadConfig.register();
        kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(new SerializingDiscardingSink()).build();
        Kms4jKmsClient client = Kms4jKmsClient.of(kms);
        String keyArn = kms.createKey().arn();
        String keyUri = Kms4jKmsClient.keyUri(keyArn);
        kms4jEnvelope = EnvelopeEncryptor.builder().wrappingKey(kms, keyArn).build();
        kms4jEnvelopeDecryptor = kms4jEnvelope.decryptor();
        cache = DataKeyCache.builder().maxAge(Duration.ofMinutes(10)).build();
        kms4jEnvelopeCached = EnvelopeEncryptor.builder().wrappingKey(kms, keyArn).dataKeyCache(cache).build();
        kms4jEnvelopeCachedDecryptor = EnvelopeDecryptor.builder().wrappingKey(kms, keyArn).dataKeyCache(cache).build();
        envelopeOverKms4j = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, client.getAead(keyUri));

        Aead tinkKek = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        envelopeOverTinkKey = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, tinkKek);

        payload = new byte[payloadBytes];
        new Random(42).nextBytes(payload);
        ciphertextOverKms4j = envelopeOverKms4j.encrypt(payload, ASSOCIATED_DATA);
        ciphertextOverTinkKey = envelopeOverTinkKey.encrypt(payload, ASSOCIATED_DATA);
        kms4jMessage = kms4jEnvelope.encrypt(payload, CONTEXT);
    }

    /** Closes the kms4j client. */
    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        kms.close();
    }

    /** Envelope encryption, DEK wrapped by kms4j Encrypt. */
    @Benchmark
    public byte[] encryptTinkOverKms4j() throws GeneralSecurityException {
        return envelopeOverKms4j.encrypt(payload, ASSOCIATED_DATA);
    }

    /** Envelope encryption, DEK wrapped by an in-process Tink AES-256-GCM key. */
    @Benchmark
    public byte[] encryptTinkOverTinkKey() throws GeneralSecurityException {
        return envelopeOverTinkKey.encrypt(payload, ASSOCIATED_DATA);
    }

    /** Envelope decryption, DEK unwrapped by kms4j Decrypt. */
    @Benchmark
    public byte[] decryptTinkOverKms4j() throws GeneralSecurityException {
        return envelopeOverKms4j.decrypt(ciphertextOverKms4j, ASSOCIATED_DATA);
    }

    /** Envelope decryption, DEK unwrapped by an in-process Tink AES-256-GCM key. */
    @Benchmark
    public byte[] decryptTinkOverTinkKey() throws GeneralSecurityException {
        return envelopeOverTinkKey.decrypt(ciphertextOverTinkKey, ASSOCIATED_DATA);
    }

    /** kms4j's envelope encryption, one GenerateDataKey per message (no cache). */
    @Benchmark
    public byte[] encryptKms4jEnvelope() {
        return kms4jEnvelope.encrypt(payload, CONTEXT);
    }

    /** kms4j's envelope decryption, one Decrypt per message (no cache). */
    @Benchmark
    public byte[] decryptKms4jEnvelope() {
        return kms4jEnvelopeDecryptor.decrypt(kms4jMessage, CONTEXT);
    }

    /** kms4j's envelope encryption with a data-key cache: the steady state makes no KMS call. */
    @Benchmark
    public byte[] encryptKms4jEnvelopeCached() {
        return kms4jEnvelopeCached.encrypt(payload, CONTEXT);
    }

    /** kms4j's envelope decryption with a data-key cache. */
    @Benchmark
    public byte[] decryptKms4jEnvelopeCached() {
        return kms4jEnvelopeCachedDecryptor.decrypt(kms4jMessage, CONTEXT);
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
