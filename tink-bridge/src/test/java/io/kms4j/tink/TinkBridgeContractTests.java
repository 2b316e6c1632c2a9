package io.kms4j.tink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsAeadKeyManager;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.KmsEnvelopeAeadKeyManager;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DecryptResult;
import io.kms4j.DisabledException;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KeyMetadata;
import io.kms4j.Kms;
import io.kms4j.KmsException;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditResource;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.InMemoryAuditSink;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Tink bridge guarantees on every kms4j backend, checked with Tink's own API: envelope AEAD round trips,
 * tamper rejection, encrypted keysets written to a file and read back, Tink's KMS key templates, and one kms4j audit
 * event per key use.
 *
 * <p>A backend's test extends this class and implements only {@link #newKms(AuditSink)}. Test methods are public so
 * that a backend with a documented deviation can override one, never skip it.
 */
public abstract class TinkBridgeContractTests {
    private static final byte[] ASSOCIATED_DATA = "orders/42".getBytes(UTF_8);

    /**
     * A fresh {@link Kms} over the backend under test that audits to {@code auditSink}. Each test makes one and
     * closes it.
     */
    protected abstract Kms newKms(AuditSink auditSink);

    /**
     * The Tink key URI the tests use for a key: {@code kms4j:} + its full identifier. A backend whose identifiers
     * do not carry its own scheme may name keys another supported way.
     */
    protected String keyUriOf(KeyMetadata key) {
        return Kms4jKmsClient.keyUri(key.arn());
    }

    @TempDir
    protected Path tempDir;

    protected InMemoryAuditSink audit;
    protected Kms kms;
    protected Kms4jKmsClient client;
    /** The full identifier of the test's key-encryption key, as kms4j reports it. */
    protected String keyArn;
    /** The Tink key URI of that key, from {@link #keyUriOf}. */
    protected String keyUri;

    @BeforeAll
    static void registerTinkAead() throws GeneralSecurityException {
        // Tink 1.20 needs it for KmsEnvelopeAead, keyset generation and KMS key templates; repeating it is harmless.
        AeadConfig.register();
    }

    @BeforeEach
    void openBackend() {
        audit = new InMemoryAuditSink();
        kms = newKms(audit);
        client = Kms4jKmsClient.of(kms);
        KeyMetadata key = kms.createKey(CreateKeyRequest.withDescription("tink kek"));
        keyArn = key.arn();
        keyUri = keyUriOf(key);
    }

    @AfterEach
    void closeBackend() {
        kms.close();
    }

    // ---------------------------------------------------------------- KmsEnvelopeAead

    @Test
    public void envelopeAead_anySize_roundTrips() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        // Sizes either side of what Encrypt takes directly: envelope encryption has no 4 KiB limit.
        for (int size : new int[] {0, 1, 4096, 4097, 1 << 20}) {
            byte[] plaintext = randomBytes(size, size);
            byte[] ciphertext = envelope.encrypt(plaintext, ASSOCIATED_DATA);
            assertArrayEquals(plaintext, envelope.decrypt(ciphertext, ASSOCIATED_DATA), "size " + size);
        }
    }

    @Test
    public void envelopeAead_sameInputTwice_freshDataKeyEachTime() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] plaintext = "same".getBytes(UTF_8);
        byte[] first = envelope.encrypt(plaintext, ASSOCIATED_DATA);
        byte[] second = envelope.encrypt(plaintext, ASSOCIATED_DATA);
        assertFalse(Arrays.equals(wrappedDek(first), wrappedDek(second)));
        assertFalse(Arrays.equals(first, second));
    }

    @Test
    public void envelopeAead_anyBitFlipped_rejected() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] ciphertext = envelope.encrypt("pay 100 to alice".getBytes(UTF_8), ASSOCIATED_DATA);
        // One flipped bit in every byte: the DEK length, the wrapped DEK, the IV, the payload and the tag.
        for (int i = 0; i < ciphertext.length; i++) {
            byte[] altered = ciphertext.clone();
            altered[i] ^= (byte) (1 << (i % 8));
            int at = i;
            assertThrows(GeneralSecurityException.class, () -> envelope.decrypt(altered, ASSOCIATED_DATA),
                    "bit flipped in byte " + at);
        }
    }

    @Test
    public void envelopeAead_wrappedDekAltered_rejectedByKmsAsInvalidCiphertext() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] ciphertext = envelope.encrypt("pay 100 to alice".getBytes(UTF_8), ASSOCIATED_DATA);
        int dekLength = ByteBuffer.wrap(ciphertext).getInt();
        for (int i = 4; i < 4 + dekLength; i++) {
            byte[] altered = ciphertext.clone();
            altered[i] ^= (byte) (1 << (i % 8));
            GeneralSecurityException e = assertGse(() -> envelope.decrypt(altered, ASSOCIATED_DATA));
            assertInstanceOf(InvalidCiphertextException.class, e.getCause(), "wrapped DEK byte " + i);
        }
    }

    @Test
    public void envelopeAead_truncated_rejected() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] ciphertext = envelope.encrypt("pay 100 to alice".getBytes(UTF_8), ASSOCIATED_DATA);
        for (int length = 0; length < ciphertext.length; length++) {
            byte[] truncated = Arrays.copyOf(ciphertext, length);
            assertThrows(GeneralSecurityException.class, () -> envelope.decrypt(truncated, ASSOCIATED_DATA),
                    "truncated to " + length);
        }
    }

    @Test
    public void envelopeAead_wrongAssociatedData_rejected() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] withData = envelope.encrypt("secret".getBytes(UTF_8), ASSOCIATED_DATA);
        assertGse(() -> envelope.decrypt(withData, "orders/43".getBytes(UTF_8)));
        assertGse(() -> envelope.decrypt(withData, new byte[0]));
        assertGse(() -> envelope.decrypt(withData, null));
        byte[] withoutData = envelope.encrypt("secret".getBytes(UTF_8), new byte[0]);
        assertGse(() -> envelope.decrypt(withoutData, ASSOCIATED_DATA));
        // Tink treats null associated data as empty.
        assertArrayEquals("secret".getBytes(UTF_8), envelope.decrypt(withoutData, null));
    }

    @Test
    public void envelopeAead_ciphertextOfAnotherKey_rejectedAsIncorrectKey() throws GeneralSecurityException {
        String otherUri = keyUriOf(kms.createKey());
        byte[] underOther = envelope(otherUri).encrypt("secret".getBytes(UTF_8), ASSOCIATED_DATA);
        GeneralSecurityException e = assertGse(() -> envelope(keyUri).decrypt(underOther, ASSOCIATED_DATA));
        assertInstanceOf(IncorrectKeyException.class, e.getCause());
    }

    @Test
    public void envelopeAead_disabledKey_refusedUntilEnabledAgain() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] ciphertext = envelope.encrypt("secret".getBytes(UTF_8), ASSOCIATED_DATA);
        kms.disableKey(keyArn);
        assertInstanceOf(DisabledException.class,
                assertGse(() -> envelope.encrypt("more".getBytes(UTF_8), ASSOCIATED_DATA)).getCause());
        assertInstanceOf(DisabledException.class,
                assertGse(() -> envelope.decrypt(ciphertext, ASSOCIATED_DATA)).getCause());
        kms.enableKey(keyArn);
        assertArrayEquals("secret".getBytes(UTF_8), envelope.decrypt(ciphertext, ASSOCIATED_DATA));
    }

    @Test
    public void envelopeAead_afterKeyRotation_oldAndNewCiphertextsDecrypt() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        byte[] before = envelope.encrypt("before".getBytes(UTF_8), ASSOCIATED_DATA);
        kms.rotateKeyOnDemand(keyArn);
        byte[] after = envelope.encrypt("after".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("before".getBytes(UTF_8), envelope.decrypt(before, ASSOCIATED_DATA));
        assertArrayEquals("after".getBytes(UTF_8), envelope.decrypt(after, ASSOCIATED_DATA));
    }

    @Test
    public void envelopeAead_sharedAcrossThreads_everyRoundTripSucceeds() throws Exception {
        Aead envelope = envelope(keyUri);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] plaintext = randomBytes(100 + i, seed * 1000 + i);
                        byte[] aad = ("thread " + seed + " call " + i).getBytes(UTF_8);
                        if (!Arrays.equals(plaintext, envelope.decrypt(envelope.encrypt(plaintext, aad), aad))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- the KMS AEAD itself

    @Test
    public void kmsAead_roundTrip_bindsAssociatedData() throws GeneralSecurityException {
        Aead kek = client.getAead(keyUri);
        byte[] ciphertext = kek.encrypt("a data key".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("a data key".getBytes(UTF_8), kek.decrypt(ciphertext, ASSOCIATED_DATA));
        assertInstanceOf(InvalidCiphertextException.class,
                assertGse(() -> kek.decrypt(ciphertext, "orders/43".getBytes(UTF_8))).getCause());
    }

    @Test
    public void kmsAead_associatedData_boundAsTinkAwsKmsEncryptionContext() throws GeneralSecurityException {
        Aead kek = client.getAead(keyUri);
        byte[] associatedData = {0x00, 0x7f, (byte) 0x80, (byte) 0xff};
        Map<String, String> context = Map.of("associatedData", "007f80ff");
        // What kms4j made with that context decrypts through Tink with that associated data, and back.
        byte[] madeByKms = kms.encrypt(keyArn, "from kms4j".getBytes(UTF_8), context).ciphertextBlob();
        assertArrayEquals("from kms4j".getBytes(UTF_8), kek.decrypt(madeByKms, associatedData));
        byte[] madeByTink = kek.encrypt("from tink".getBytes(UTF_8), associatedData);
        try (DecryptResult r = kms.decrypt(madeByTink, context)) {
            assertArrayEquals("from tink".getBytes(UTF_8), r.plaintext());
        }
        // Empty associated data is no context at all.
        byte[] noContext = kms.encrypt(keyArn, "plain".getBytes(UTF_8)).ciphertextBlob();
        assertArrayEquals("plain".getBytes(UTF_8), kek.decrypt(noContext, new byte[0]));
        assertGse(() -> kek.decrypt(noContext, associatedData));
    }

    @Test
    public void kmsAead_ciphertextOfAnotherKey_rejectedAsIncorrectKey() throws GeneralSecurityException {
        byte[] underOther = client.getAead(keyUriOf(kms.createKey())).encrypt(new byte[] {1, 2, 3}, null);
        GeneralSecurityException e = assertGse(() -> client.getAead(keyUri).decrypt(underOther, null));
        assertInstanceOf(IncorrectKeyException.class, e.getCause());
    }

    @Test
    public void kmsAead_plaintextOverEncryptLimit_refusedWithValidationCause() throws GeneralSecurityException {
        Aead kek = client.getAead(keyUri);
        GeneralSecurityException e = assertGse(() -> kek.encrypt(new byte[Kms.MAX_PLAINTEXT_BYTES + 1], null));
        assertEquals("ValidationException", ((KmsException) e.getCause()).awsErrorCode());
    }

    @Test
    public void kmsAead_aliasUri_followsTheAliasAtEveryCall() throws GeneralSecurityException {
        kms.createAlias("alias/tink-kek", keyArn);
        Aead viaAlias = client.getAead("kms4j:alias/tink-kek");
        byte[] ciphertext = envelopeOver(viaAlias).encrypt("secret".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("secret".getBytes(UTF_8), envelopeOver(viaAlias).decrypt(ciphertext, ASSOCIATED_DATA));
        // Re-pointing the alias pins decryption through it to the new key, as AWS KMS does for an alias key id.
        kms.updateAlias("alias/tink-kek", kms.createKey().arn());
        assertInstanceOf(IncorrectKeyException.class,
                assertGse(() -> envelopeOver(viaAlias).decrypt(ciphertext, ASSOCIATED_DATA)).getCause());
        assertArrayEquals("secret".getBytes(UTF_8), envelope(keyUri).decrypt(ciphertext, ASSOCIATED_DATA));
    }

    // ---------------------------------------------------------------- keysets encrypted under a kms4j key

    @Test
    public void encryptedKeyset_writtenToFileAndReadBack_decryptsEarlierData() throws Exception {
        KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        Aead dataAead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        byte[] record = dataAead.encrypt("a customer record".getBytes(UTF_8), ASSOCIATED_DATA);

        byte[] keysetAssociatedData = "keyset for orders".getBytes(UTF_8);
        Path file = tempDir.resolve("orders.keyset");
        Files.write(file, TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, client.getAead(keyUri),
                keysetAssociatedData));

        KeysetHandle readBack = TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(file),
                client.getAead(keyUri), keysetAssociatedData);
        Aead readBackAead = readBack.getPrimitive(RegistryConfiguration.get(), Aead.class);
        assertArrayEquals("a customer record".getBytes(UTF_8), readBackAead.decrypt(record, ASSOCIATED_DATA));
        byte[] newer = readBackAead.encrypt("a newer record".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("a newer record".getBytes(UTF_8), dataAead.decrypt(newer, ASSOCIATED_DATA));
    }

    @Test
    public void encryptedKeyset_wrongAssociatedDataOrKey_notParsed() throws Exception {
        KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        byte[] encrypted = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, client.getAead(keyUri),
                "keyset for orders".getBytes(UTF_8));
        assertGse(() -> TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, client.getAead(keyUri),
                "keyset for invoices".getBytes(UTF_8)));
        Aead otherKey = client.getAead(keyUriOf(kms.createKey()));
        assertGse(() -> TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, otherKey,
                "keyset for orders".getBytes(UTF_8)));
        byte[] altered = encrypted.clone();
        altered[altered.length / 2] ^= 0x01;
        assertGse(() -> TinkProtoKeysetFormat.parseEncryptedKeyset(altered, client.getAead(keyUri),
                "keyset for orders".getBytes(UTF_8)));
    }

    @Test
    public void encryptedKeyset_json_writtenToFileAndReadBack() throws Exception {
        KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        Aead dataAead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        byte[] record = dataAead.encrypt("a customer record".getBytes(UTF_8), null);

        Path file = tempDir.resolve("orders.keyset.json");
        Files.writeString(file, TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(keyset, client.getAead(keyUri),
                new byte[0]));
        KeysetHandle readBack = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(Files.readString(file),
                client.getAead(keyUri), new byte[0]);
        assertArrayEquals("a customer record".getBytes(UTF_8),
                readBack.getPrimitive(RegistryConfiguration.get(), Aead.class).decrypt(record, null));
    }

    // ---------------------------------------------------------------- Tink's KMS key templates

    @Test
    @SuppressWarnings("deprecation") // KmsClients: Tink 1.20 resolves keyset KMS keys only through it; see TINK.md.
    public void keyTemplates_kmsEnvelopeAndKmsAead_workThroughABoundRegisteredClient() throws Exception {
        // The registry is global and first-match; a client bound to this test's key cannot answer for another.
        KmsClients.add(client.boundTo(keyUri));

        KeysetHandle envelopeKeyset = KeysetHandle.generateNew(
                KmsEnvelopeAeadKeyManager.createKeyTemplate(keyUri, KeyTemplates.get("AES256_GCM")));
        // The keyset holds only a reference to the kms4j key, so it can be stored without encryption.
        KeysetHandle stored = TinkProtoKeysetFormat.parseKeysetWithoutSecret(
                TinkProtoKeysetFormat.serializeKeysetWithoutSecret(envelopeKeyset));
        Aead envelope = stored.getPrimitive(RegistryConfiguration.get(), Aead.class);
        byte[] ciphertext = envelope.encrypt("via template".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("via template".getBytes(UTF_8),
                envelopeKeyset.getPrimitive(RegistryConfiguration.get(), Aead.class)
                        .decrypt(ciphertext, ASSOCIATED_DATA));

        KeysetHandle kmsAeadKeyset = KeysetHandle.generateNew(KmsAeadKeyManager.createKeyTemplate(keyUri));
        Aead direct = kmsAeadKeyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        byte[] small = direct.encrypt("small secret".getBytes(UTF_8), ASSOCIATED_DATA);
        assertArrayEquals("small secret".getBytes(UTF_8), direct.decrypt(small, ASSOCIATED_DATA));
    }

    // ---------------------------------------------------------------- audit

    @Test
    public void audit_everyKeyUse_leavesOneKms4jEventNamingTheKey() throws GeneralSecurityException {
        Aead envelope = envelope(keyUri);
        audit.clear();
        byte[] ciphertext = envelope.encrypt("audited".getBytes(UTF_8), ASSOCIATED_DATA);
        envelope.decrypt(ciphertext, ASSOCIATED_DATA);
        byte[] altered = ciphertext.clone();
        altered[6] ^= 0x01; // inside the wrapped DEK
        assertGse(() -> envelope.decrypt(altered, ASSOCIATED_DATA));

        List<AuditEvent> events = audit.events();
        assertEquals(List.of("Encrypt", "Decrypt", "Decrypt"), events.stream().map(AuditEvent::eventName).toList());
        for (AuditEvent event : events.subList(0, 2)) {
            assertEquals(List.of(AuditResource.key(keyArn)), event.resources(), event.eventName());
            // The key as the URI names it, and as kms4j resolved it.
            assertEquals(keyUri.substring(Kms4jKmsClient.URI_PREFIX.length()), event.requestParameters().get("keyId"),
                    event.eventName());
            // Tink wraps data keys with empty associated data: no encryption context.
            assertEquals(Map.of(), event.requestParameters().get("encryptionContext"), event.eventName());
            assertNull(event.errorCode(), event.eventName());
        }
        assertEquals("InvalidCiphertextException", events.get(2).errorCode());

        audit.clear();
        client.getAead(keyUri).encrypt("a data key".getBytes(UTF_8), ASSOCIATED_DATA);
        assertEquals(Map.of("associatedData", HexFormat.of().formatHex(ASSOCIATED_DATA)),
                audit.last().requestParameters().get("encryptionContext"));
    }

    @Test
    public void getAead_neverCallsTheBackend_aMissingKeyFailsAtFirstUse() throws GeneralSecurityException {
        KeyMetadata existing = kms.describeKey(keyArn);
        String missing = keyUri.replace(existing.keyId(), "00000000-0000-4000-8000-000000000000");
        audit.clear();
        Aead aead = client.getAead(missing);
        assertEquals(0, audit.size());
        GeneralSecurityException e = assertGse(() -> aead.encrypt(new byte[] {1}, null));
        assertEquals("NotFoundException", ((KmsException) e.getCause()).awsErrorCode());
        assertEquals(1, audit.size());
    }

    // ---------------------------------------------------------------- helpers

    /** Tink's envelope AEAD over a kms4j key, made the explicit way docs/TINK.md recommends. */
    protected Aead envelope(String uri) throws GeneralSecurityException {
        return envelopeOver(client.getAead(uri));
    }

    private static Aead envelopeOver(Aead kek) throws GeneralSecurityException {
        return KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, kek);
    }

    /** The wrapped DEK of a Tink envelope ciphertext: after its 4-byte big-endian length. */
    private static byte[] wrappedDek(byte[] envelopeCiphertext) {
        ByteBuffer buffer = ByteBuffer.wrap(envelopeCiphertext);
        byte[] dek = new byte[buffer.getInt()];
        buffer.get(dek);
        return dek;
    }

    private static GeneralSecurityException assertGse(Executable call) {
        return assertThrows(GeneralSecurityException.class, call);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
