package io.kms4j.benchmarks.pkcs11;

import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.pkcs11.Pkcs11KmsProvider;
import io.kms4j.pkcs11.internal.TokenSlotResolver;
import io.kms4j.spi.support.CiphertextBlob;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * kms4j's cost over raw SunPKCS11 on a PKCS#11 token, for the two calls of the envelope hot path: generating a
 * data key wrapped under a token key, and unwrapping it.
 *
 * <p>Both sides use the same token, the same token key object ({@code kms4j:<key id>:v1}), the same token
 * random number generator (data key and IV), AES-256-GCM with a 12-byte IV and 128-bit tag, and AAD of the same
 * length as kms4j's (blob header plus encryption context). The raw side is what an application would write
 * against SunPKCS11 directly: its own SunPKCS11 instance, one {@code Cipher} per call. The kms4j side goes
 * through {@link Kms} (validation, the auditing decorator building a full audit event, the metadata lookup, the
 * ciphertext blob); its audit sink discards events, so the figure is kms4j's own overhead, not a sink's I/O.
 *
 * <p>Needs a token: run {@code benchmarks/run-pkcs11.sh}, which makes one and sets {@code SOFTHSM2_CONF},
 * {@code KMS4J_BENCH_PKCS11_MODULE}, {@code KMS4J_BENCH_PKCS11_TOKEN}, {@code KMS4J_BENCH_PKCS11_PIN} and
 * {@code KMS4J_BENCH_STATE_DIR} (JMH's forked JVMs inherit the environment).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Pkcs11OverheadBenchmark {
    private static final Map<String, String> CONTEXT = Map.of("purpose", "benchmark", "tenant", "acme");

    private Kms kms;
    private String keyId;
    private byte[] kmsDataKeyBlob;

    private Provider raw;
    private Key rawKey;
    private SecureRandom rawRandom;
    private byte[] rawAad;
    private byte[] rawIv;
    private byte[] rawWrapped;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String module = env("KMS4J_BENCH_PKCS11_MODULE");
        String token = env("KMS4J_BENCH_PKCS11_TOKEN");
        char[] pin = env("KMS4J_BENCH_PKCS11_PIN").toCharArray();
        Path stateDir = Files.createTempDirectory(Path.of(env("KMS4J_BENCH_STATE_DIR")), "bench-");

        // kms4j first: its first login logs out any earlier login of the process, which would invalidate
        // handles the raw side had already fetched.
        kms = Kms.builder().provider(Pkcs11KmsProvider.builder().modulePath(Path.of(module)).tokenLabel(token)
                .pin(pin).stateDirectory(stateDir).build()).auditSink(event -> { }).build();
        keyId = kms.createKey().keyId();
        try (DataKey dk = kms.generateDataKey(keyId, DataKeySpec.AES_256, CONTEXT)) {
            kmsDataKeyBlob = dk.ciphertextBlob();
        }

        long slot = TokenSlotResolver.resolve(module, token);
        raw = Security.getProvider("SunPKCS11").configure("--name = bench-raw\nlibrary = " + module
                + "\nslot = " + slot + "\n");
        KeyStore store = KeyStore.getInstance("PKCS11", raw);
        store.load(null, pin);
        Arrays.fill(pin, '\0');
        rawKey = store.getKey(Pkcs11KmsProvider.tokenObjectLabel(keyId, 1), null);
        if (rawKey == null) {
            throw new IllegalStateException("the raw side cannot see kms4j's token key");
        }
        rawRandom = SecureRandom.getInstance("PKCS11", raw);
        // The same AAD length kms4j uses: its blob header for this key id, then the canonical context.
        byte[] header = CiphertextBlob.header(keyId, 1, new byte[CiphertextBlob.IV_LENGTH]);
        rawAad = new byte[header.length + EncryptionContext.of(CONTEXT).canonicalLength()];
        rawRandom.nextBytes(rawAad);
        rawIv = new byte[12];
        rawWrapped = rawGenerateDataKey();
        System.arraycopy(rawWrapped, 0, rawIv, 0, 12);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kms.close();
    }

    /** kms4j: {@code Kms.generateDataKey} of an AES-256 data key with an encryption context. */
    @Benchmark
    public void kms4jGenerateDataKey(Blackhole bh) {
        try (DataKey dk = kms.generateDataKey(keyId, DataKeySpec.AES_256, CONTEXT)) {
            bh.consume(dk.ciphertextBlob());
            bh.consume(dk.plaintext());
        }
    }

    /** kms4j: {@code Kms.decrypt} of a data key's ciphertext blob. */
    @Benchmark
    public void kms4jDecryptDataKey(Blackhole bh) {
        try (DecryptResult r = kms.decrypt(kmsDataKeyBlob, CONTEXT)) {
            bh.consume(r.plaintext());
        }
    }

    /** Raw SunPKCS11: 32 random bytes and an IV from the token, AES-GCM on the token key. */
    @Benchmark
    public byte[] rawGenerateDataKey() throws Exception {
        byte[] dataKey = new byte[32];
        rawRandom.nextBytes(dataKey);
        byte[] iv = new byte[12];
        rawRandom.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", raw);
        cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        cipher.updateAAD(rawAad);
        byte[] wrapped = cipher.doFinal(dataKey);
        return ByteBuffer.allocate(12 + wrapped.length).put(iv).put(wrapped).array();
    }

    /** Raw SunPKCS11: AES-GCM decryption of a wrapped data key on the token key. */
    @Benchmark
    public byte[] rawDecryptDataKey() throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", raw);
        cipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawIv));
        cipher.updateAAD(rawAad);
        return cipher.doFinal(rawWrapped, 12, rawWrapped.length - 12);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set; run benchmarks/run-pkcs11.sh");
        }
        return value;
    }
}
