package io.kms4j.envelope;

import io.kms4j.AliasListEntry;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptResult;
import io.kms4j.EncryptionContext;
import io.kms4j.KeyIdentifier;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.Page;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stub around a real provider that counts the cryptographic calls reaching it, because the cache tests need
 * call counts (how many data keys were generated, how many unwraps happened). Every call is passed through to
 * the real provider unchanged.
 */
final class CountingProvider implements KmsProvider {
    final AtomicInteger generateDataKeyCalls = new AtomicInteger();
    final AtomicInteger encryptCalls = new AtomicInteger();
    final AtomicInteger decryptCalls = new AtomicInteger();
    private final KmsProvider delegate;

    CountingProvider(KmsProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public ProviderInfo info() {
        return delegate.info();
    }

    @Override
    public KeyMetadata createKey(CreateKeyRequest request) {
        return delegate.createKey(request);
    }

    @Override
    public KeyMetadata describeKey(KeyIdentifier key) {
        return delegate.describeKey(key);
    }

    @Override
    public Page<KeyListEntry> listKeys(int limit, String marker) {
        return delegate.listKeys(limit, marker);
    }

    @Override
    public String createAlias(String aliasName, KeyIdentifier targetKey) {
        return delegate.createAlias(aliasName, targetKey);
    }

    @Override
    public String updateAlias(String aliasName, KeyIdentifier targetKey) {
        return delegate.updateAlias(aliasName, targetKey);
    }

    @Override
    public String deleteAlias(String aliasName) {
        return delegate.deleteAlias(aliasName);
    }

    @Override
    public Page<AliasListEntry> listAliases(KeyIdentifier key, int limit, String marker) {
        return delegate.listAliases(key, limit, marker);
    }

    @Override
    public String enableKey(KeyIdentifier key) {
        return delegate.enableKey(key);
    }

    @Override
    public String disableKey(KeyIdentifier key) {
        return delegate.disableKey(key);
    }

    @Override
    public KeyMetadata scheduleKeyDeletion(KeyIdentifier key, int pendingWindowInDays) {
        return delegate.scheduleKeyDeletion(key, pendingWindowInDays);
    }

    @Override
    public String cancelKeyDeletion(KeyIdentifier key) {
        return delegate.cancelKeyDeletion(key);
    }

    @Override
    public String enableKeyRotation(KeyIdentifier key, int rotationPeriodInDays) {
        return delegate.enableKeyRotation(key, rotationPeriodInDays);
    }

    @Override
    public String disableKeyRotation(KeyIdentifier key) {
        return delegate.disableKeyRotation(key);
    }

    @Override
    public KeyRotationStatus getKeyRotationStatus(KeyIdentifier key) {
        return delegate.getKeyRotationStatus(key);
    }

    @Override
    public KeyRotation rotateKeyOnDemand(KeyIdentifier key) {
        return delegate.rotateKeyOnDemand(key);
    }

    @Override
    public List<KeyRotation> listKeyRotations(KeyIdentifier key) {
        return delegate.listKeyRotations(key);
    }

    @Override
    public EncryptResult encrypt(KeyIdentifier key, byte[] plaintext, EncryptionContext context) {
        encryptCalls.incrementAndGet();
        return delegate.encrypt(key, plaintext, context);
    }

    @Override
    public DecryptResult decrypt(byte[] ciphertextBlob, EncryptionContext context, KeyIdentifier expectedKey) {
        decryptCalls.incrementAndGet();
        return delegate.decrypt(ciphertextBlob, context, expectedKey);
    }

    @Override
    public DataKey generateDataKey(KeyIdentifier key, DataKeySpec keySpec, int numberOfBytes,
                                   EncryptionContext context) {
        generateDataKeyCalls.incrementAndGet();
        return delegate.generateDataKey(key, keySpec, numberOfBytes, context);
    }

    @Override
    public byte[] generateRandom(int numberOfBytes) {
        return delegate.generateRandom(numberOfBytes);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
