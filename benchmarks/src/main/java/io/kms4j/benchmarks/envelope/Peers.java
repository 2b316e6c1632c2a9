package io.kms4j.benchmarks.envelope;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.CryptoMaterialsManager;
import com.amazonaws.encryptionsdk.DefaultCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.CachingCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.LocalCryptoMaterialsCache;
import com.amazonaws.encryptionsdk.jce.JceMasterKey;
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
import io.kms4j.envelope.EnvelopeEncryptor;
import io.kms4j.local.LocalKmsProvider;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * How each contender is set up, in one place so every benchmark class configures them alike.
 *
 * <ul>
 *   <li>kms4j: the local provider in memory (its KMS calls are local, so a miss costs a GenerateDataKey on the
 *       local provider, audit event included; the sink discards events so no logging is measured), a data key
 *       cache of 5 minutes and 2^32 messages, 64 KiB frames.
 *   <li>Tink 1.20: an AES256_GCM {@link Aead}; and Tink's {@link KmsEnvelopeAead} over another AES256_GCM Aead
 *       standing in for the remote KMS (it makes a new data key per message: Tink has no data key cache).
 *   <li>AWS Encryption SDK 2.x: a local {@link JceMasterKey} (AES-256-GCM), the committing suite without
 *       signatures (ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY), its default 4 KiB frames, and a caching CMM with
 *       the same limits as kms4j's cache.
 * </ul>
 */
final class Peers {
    static final int FRAME_LENGTH = 64 * 1024;
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final long MAX_MESSAGES = 1L << 32;

    private Peers() {
    }

    /** An audit sink that drops events: the benchmarks measure cryptography, not logging. */
    static final class DiscardingAuditSink implements AuditSink {
        @Override
        public void record(AuditEvent event) {
            // dropped on purpose
        }
    }

    /** A Kms over an in-memory local provider. */
    static Kms localKms() {
        return Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(new DiscardingAuditSink()).build();
    }

    /** The kms4j cache configuration every benchmark uses. */
    static DataKeyCache cache() {
        return DataKeyCache.builder().maxAge(MAX_AGE).maxMessages(MAX_MESSAGES).build();
    }

    /** A kms4j encryptor under one new key of {@code kms}, with or without a cache. */
    static EnvelopeEncryptor kms4j(Kms kms, DataKeyCache cache) {
        EnvelopeEncryptor.Builder b = EnvelopeEncryptor.builder().wrappingKey(kms, kms.createKey().arn())
                .frameLength(FRAME_LENGTH);
        if (cache != null) {
            b.dataKeyCache(cache);
        }
        return b.build();
    }

    /** A fresh random AES-256 key for the raw baseline. */
    static SecretKeySpec rawKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Tink's AES256_GCM Aead. */
    static Aead tinkAead() throws GeneralSecurityException {
        AeadConfig.register();
        return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    /** Tink's envelope AEAD: AES256_GCM data keys wrapped by another AES256_GCM Aead playing the KMS. */
    static Aead tinkEnvelope() throws GeneralSecurityException {
        return KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, tinkAead());
    }

    /**
     * The AWS Encryption SDK client: committing suite without signatures, its default 4 KiB frames (as shipped;
     * with 64 KiB frames it allocates two 64 KiB frame buffers per message, which makes small messages slower).
     */
    static AwsCrypto esdk() {
        return AwsCrypto.builder().withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
                .withEncryptionAlgorithm(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY).build();
    }

    /** A local JCE master key: AES-256-GCM wrapping, no network. */
    static JceMasterKey esdkMasterKey() {
        return JceMasterKey.getInstance(rawKey(), "kms4j-benchmark", "local-key", "AES/GCM/NoPadding");
    }

    /** The ESDK caching CMM with kms4j's cache limits. */
    static CryptoMaterialsManager esdkCaching(JceMasterKey masterKey) {
        return CachingCryptoMaterialsManager.newBuilder().withMasterKeyProvider(masterKey)
                .withCache(new LocalCryptoMaterialsCache(100))
                .withMaxAge(MAX_AGE.toMillis(), TimeUnit.MILLISECONDS)
                .withMessageUseLimit(MAX_MESSAGES).build();
    }

    /** The ESDK CMM without a cache: a new data key per message. */
    static CryptoMaterialsManager esdkUncached(JceMasterKey masterKey) {
        return new DefaultCryptoMaterialsManager(masterKey);
    }
}
