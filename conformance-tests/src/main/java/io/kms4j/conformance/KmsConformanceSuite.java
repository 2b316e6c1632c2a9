package io.kms4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kms4j.AlreadyExistsException;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.DisabledException;
import io.kms4j.EncryptResult;
import io.kms4j.GenerateDataKeyRequest;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidAliasNameException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.InvalidMarkerException;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.KmsErrorCode;
import io.kms4j.KmsException;
import io.kms4j.KmsInternalException;
import io.kms4j.KmsInvalidSignatureException;
import io.kms4j.InvalidKeyUsageException;
import io.kms4j.MessageType;
import io.kms4j.PublicKeyResult;
import io.kms4j.SignRequest;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.UnsupportedKmsOperationException;
import io.kms4j.VerifyResult;
import io.kms4j.KmsInvalidStateException;
import io.kms4j.NotFoundException;
import io.kms4j.Page;
import io.kms4j.ReEncryptRequest;
import io.kms4j.ReEncryptResult;
import io.kms4j.RotationType;
import io.kms4j.ValidationException;
import io.kms4j.AliasListEntry;
import io.kms4j.audit.AuditEvent;
import io.kms4j.audit.AuditSink;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.spi.KmsProvider;
import io.kms4j.spi.ProviderInfo.Capability;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every kms4j provider must show. A provider's test class extends this suite and says only how
 * to build its provider; JUnit then runs every test here against it.
 *
 * <pre>{@code
 * class LocalProviderConformanceTest extends KmsConformanceSuite {
 *     protected KmsProvider createProvider(MutableClock clock) {
 *         return LocalKmsProvider.builder().inMemory().clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Providers that keep state outside the test (a token, a remote service) must tolerate keys left by other
 * tests: the suite never assumes an empty provider. Test methods are public so that a provider whose backend
 * is known to differ from AWS KMS in one case (an emulator, say) can override exactly that method, assert the
 * backend's actual behaviour, and document why; nothing is skipped. Behaviour that truly differs between backends is declared
 * by the provider as a {@link Capability}, and the suite checks the declared behaviour either way, so nothing
 * is skipped.
 *
 * <p>Thread safety: JUnit creates one instance per test method.
 */
public abstract class KmsConformanceSuite {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The clock handed to the provider and to the audit trail. */
    protected final MutableClock clock = new MutableClock();
    /** Every audit event of the current test. */
    protected final InMemoryAuditSink audit = new InMemoryAuditSink();
    /** Set to make the audit sink fail, as a full disk would. */
    private volatile boolean auditBroken;
    /** The client under test. */
    protected Kms kms;

    /**
     * Builds the provider under test. Called once per test method.
     *
     * @param clock the clock the provider should keep time with, if it can (see
     *     {@link Capability#INJECTED_CLOCK})
     */
    protected abstract KmsProvider createProvider(MutableClock clock);

    /** How many operations the concurrency test runs in total; slow backends may lower it (never below 2000). */
    protected int concurrentOperations() {
        return 4000;
    }

    /** The plaintext sizes of the tamper sweep; providers without empty plaintexts drop 0 (and the suite checks). */
    private static final int[] SWEEP_SIZES = {0, 1, 15, 16, 17, 4096};

    @BeforeEach
    void openKms() {
        AuditSink sink = event -> {
            if (auditBroken) {
                throw new IllegalStateException("disk full");
            }
            audit.record(event);
        };
        kms = Kms.builder().provider(createProvider(clock)).auditSink(sink).clock(clock).build();
    }

    @AfterEach
    void closeKms() {
        if (kms != null) {
            kms.close();
        }
    }

    private boolean has(Capability capability) {
        return kms.providerInfo().has(capability);
    }

    private String newKey() {
        return kms.createKey(CreateKeyRequest.withDescription("conformance " + UUID.randomUUID())).keyId();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String uniqueAlias() {
        return "alias/conformance-" + UUID.randomUUID();
    }

    private byte[] decryptToBytes(byte[] blob, Map<String, String> context) {
        try (DecryptResult r = kms.decrypt(blob, context)) {
            return r.plaintext();
        }
    }

    // ================================================================ key management

    @Test
    public void createKey_defaults_enabledSymmetricEncryptionKey() {
        KeyMetadata m = kms.createKey();
        assertEquals(KeyState.ENABLED, m.keyState());
        assertTrue(m.enabled());
        assertEquals(KeyUsage.ENCRYPT_DECRYPT, m.keyUsage());
        assertEquals(KeySpec.SYMMETRIC_DEFAULT, m.keySpec());
        assertNull(m.deletionDate());
        assertFalse(m.keyId().isBlank());
        assertTrue(m.arn().contains(m.keyId()), "the full identifier names the key id");
    }

    @Test
    public void describeKey_byIdAliasAndFullIdentifier_sameKey() {
        KeyMetadata created = kms.createKey(CreateKeyRequest.withDescription("orders database"));
        String alias = uniqueAlias();
        kms.createAlias(alias, created.keyId());
        for (String ref : List.of(created.keyId(), created.arn(), alias)) {
            KeyMetadata m = kms.describeKey(ref);
            assertEquals(created.keyId(), m.keyId(), ref);
            assertEquals("orders database", m.description());
            assertEquals(created.arn(), m.arn());
        }
    }

    @Test
    public void createKey_descriptionTooLong_validationException() {
        assertThrows(ValidationException.class,
                () -> kms.createKey(CreateKeyRequest.withDescription("x".repeat(8193))));
    }

    @Test
    public void createKey_signingUsageOnSymmetricSpec_validationException() {
        assertThrows(ValidationException.class,
                () -> kms.createKey(new CreateKeyRequest("", KeyUsage.SIGN_VERIFY, KeySpec.SYMMETRIC_DEFAULT)));
    }

    @Test
    public void describeKey_unknownKeyAliasOrIdentifier_notFound() {
        assertThrows(NotFoundException.class, () -> kms.describeKey(UUID.randomUUID().toString()));
        assertThrows(NotFoundException.class, () -> kms.describeKey(uniqueAlias()));
        String arn = kms.createKey().arn();
        String otherArn = arn.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                UUID.randomUUID().toString());
        assertThrows(NotFoundException.class, () -> kms.describeKey(otherArn));
    }

    @Test
    public void describeKey_malformedKeyId_validationException() {
        for (String bad : new String[] {null, "", "   ", "x".repeat(2049), "alias/", "alias/has space"}) {
            KmsException e = assertThrows(KmsException.class, () -> kms.describeKey(bad), String.valueOf(bad));
            assertEquals(KmsErrorCode.VALIDATION, e.errorCode(), String.valueOf(bad));
        }
    }

    @Test
    public void listKeys_paginated_everyKeyExactlyOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(newKey());
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            Page<KeyListEntry> page = kms.listKeys(3, marker);
            assertTrue(page.items().size() <= 3);
            page.items().forEach(e -> seen.add(e.keyId()));
            marker = page.nextMarker();
            assertEquals(marker != null, page.truncated());
            pages++;
        } while (marker != null && pages < 10_000);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no key is listed twice");
        assertTrue(seen.containsAll(created), "every created key is listed");
        assertTrue(pages >= 3);
    }

    @Test
    public void listKeys_foreignMarkerOrBadLimit_rejected() {
        newKey();
        assertThrows(InvalidMarkerException.class, () -> kms.listKeys(10, "not-a-marker"));
        assertThrows(ValidationException.class, () -> kms.listKeys(0, null));
        assertThrows(ValidationException.class, () -> kms.listKeys(1001, null));
    }

    @Test
    public void alias_usableWhereverAKeyIdIs() {
        String keyId = newKey();
        String alias = uniqueAlias();
        kms.createAlias(alias, keyId);
        byte[] blob = kms.encrypt(alias, "via alias".getBytes(StandardCharsets.UTF_8)).ciphertextBlob();
        try (DecryptResult r = kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob).keyId(alias).build())) {
            assertEquals("via alias", new String(r.plaintext(), StandardCharsets.UTF_8));
            assertTrue(r.keyId().contains(keyId));
        }
        try (DataKey dk = kms.generateDataKey(alias, DataKeySpec.AES_256)) {
            assertEquals(32, dk.length());
        }
    }

    @Test
    public void createAlias_duplicate_alreadyExists() {
        String alias = uniqueAlias();
        kms.createAlias(alias, newKey());
        assertThrows(AlreadyExistsException.class, () -> kms.createAlias(alias, newKey()));
    }

    @Test
    public void createAlias_malformedOrReservedName_invalidAliasName() {
        String keyId = newKey();
        for (String bad : new String[] {"orders", "alias/", "alias/with space", "alias/aws/mine", null}) {
            assertThrows(InvalidAliasNameException.class, () -> kms.createAlias(bad, keyId), String.valueOf(bad));
        }
    }

    @Test
    public void createAlias_unknownKey_notFound() {
        assertThrows(NotFoundException.class, () -> kms.createAlias(uniqueAlias(), UUID.randomUUID().toString()));
    }

    @Test
    public void updateAlias_pointsAtNewKey() {
        String first = newKey();
        String second = newKey();
        String alias = uniqueAlias();
        kms.createAlias(alias, first);
        kms.updateAlias(alias, second);
        assertEquals(second, kms.describeKey(alias).keyId());
        assertThrows(NotFoundException.class, () -> kms.updateAlias(uniqueAlias(), second));
    }

    @Test
    public void deleteAlias_removesAliasOnly() {
        String keyId = newKey();
        String alias = uniqueAlias();
        kms.createAlias(alias, keyId);
        kms.deleteAlias(alias);
        assertThrows(NotFoundException.class, () -> kms.describeKey(alias));
        assertEquals(KeyState.ENABLED, kms.describeKey(keyId).keyState());
        assertThrows(NotFoundException.class, () -> kms.deleteAlias(alias));
    }

    @Test
    public void listAliases_ofOneKey_paginated() {
        String keyId = newKey();
        String other = newKey();
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String alias = uniqueAlias();
            kms.createAlias(alias, keyId);
            mine.add(alias);
        }
        kms.createAlias(uniqueAlias(), other);
        List<String> seen = new ArrayList<>();
        String marker = null;
        do {
            Page<AliasListEntry> page = kms.listAliases(keyId, 2, marker);
            for (AliasListEntry e : page.items()) {
                assertEquals(keyId, e.targetKeyId());
                seen.add(e.aliasName());
            }
            marker = page.nextMarker();
        } while (marker != null);
        assertEquals(mine, new HashSet<>(seen));
        assertEquals(mine.size(), seen.size());
    }

    @Test
    public void disableKey_refusesCryptography_enableKeyRestoresIt() {
        String keyId = newKey();
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        kms.disableKey(keyId);
        assertEquals(KeyState.DISABLED, kms.describeKey(keyId).keyState());
        assertThrows(DisabledException.class, () -> kms.encrypt(keyId, random(10)));
        assertThrows(DisabledException.class, () -> kms.decrypt(blob));
        assertThrows(DisabledException.class, () -> kms.generateDataKey(keyId, DataKeySpec.AES_256));
        kms.enableKey(keyId);
        assertEquals(10, decryptToBytes(blob, Map.of()).length);
    }

    @Test
    public void scheduleKeyDeletion_windowOutsideSevenToThirtyDays_validationException() {
        String keyId = newKey();
        assertThrows(ValidationException.class, () -> kms.scheduleKeyDeletion(keyId, 6));
        assertThrows(ValidationException.class, () -> kms.scheduleKeyDeletion(keyId, 31));
        assertEquals(KeyState.ENABLED, kms.describeKey(keyId).keyState());
    }

    @Test
    public void scheduleKeyDeletion_keyPendingDeletion_unusableButDescribable() {
        String keyId = newKey();
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        Instant before = clock.instant();
        KeyMetadata m = kms.scheduleKeyDeletion(keyId, 7);
        assertEquals(KeyState.PENDING_DELETION, m.keyState());
        assertNotNull(m.deletionDate());
        Duration window = Duration.between(before, m.deletionDate());
        assertTrue(window.compareTo(Duration.ofDays(6)) > 0 && window.compareTo(Duration.ofDays(8)) < 0,
                "deletion date is about 7 days ahead: " + window);
        assertEquals(KeyState.PENDING_DELETION, kms.describeKey(keyId).keyState());
        assertThrows(KmsInvalidStateException.class, () -> kms.encrypt(keyId, random(10)));
        assertThrows(KmsInvalidStateException.class, () -> kms.decrypt(blob));
        assertThrows(KmsInvalidStateException.class, () -> kms.generateDataKey(keyId, DataKeySpec.AES_256));
        assertThrows(KmsInvalidStateException.class, () -> kms.enableKey(keyId));
        assertThrows(KmsInvalidStateException.class, () -> kms.scheduleKeyDeletion(keyId, 7));
        assertTrue(kms.listAllKeys().stream().anyMatch(e -> e.keyId().equals(keyId)),
                "keys pending deletion are still listed");
    }

    @Test
    public void cancelKeyDeletion_keyBecomesDisabled() {
        String keyId = newKey();
        assertThrows(KmsInvalidStateException.class, () -> kms.cancelKeyDeletion(keyId));
        kms.scheduleKeyDeletion(keyId, 30);
        kms.cancelKeyDeletion(keyId);
        KeyMetadata m = kms.describeKey(keyId);
        assertEquals(KeyState.DISABLED, m.keyState());
        assertNull(m.deletionDate());
        kms.enableKey(keyId);
        kms.encrypt(keyId, random(1));
    }

    @Test
    public void deletionWindowElapsed_keyAndAliasesGone_ciphertextsUnrecoverable() {
        String keyId = newKey();
        String alias = uniqueAlias();
        kms.createAlias(alias, keyId);
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        kms.scheduleKeyDeletion(keyId, 7);
        if (!has(Capability.INJECTED_CLOCK) || !has(Capability.DELETION_COMPLETES)) {
            // A backend that keeps its own time cannot be moved past the window; it must still hold the key,
            // pending deletion, which is what the provider reports by lacking these capabilities.
            clock.advance(Duration.ofDays(8));
            assertEquals(KeyState.PENDING_DELETION, kms.describeKey(keyId).keyState());
            return;
        }
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThrows(NotFoundException.class, () -> kms.describeKey(keyId));
        assertThrows(NotFoundException.class, () -> kms.describeKey(alias));
        assertThrows(NotFoundException.class, () -> kms.decrypt(blob));
        assertFalse(kms.listAllKeys().stream().anyMatch(e -> e.keyId().equals(keyId)));
    }

    @Test
    public void rotateKeyOnDemand_newVersionEncrypts_oldCiphertextsStillDecrypt() {
        String keyId = newKey();
        byte[] before = kms.encrypt(keyId, "v1".getBytes(StandardCharsets.UTF_8)).ciphertextBlob();
        KeyRotation rotation = kms.rotateKeyOnDemand(keyId);
        assertEquals(RotationType.ON_DEMAND, rotation.rotationType());
        byte[] after = kms.encrypt(keyId, "v2".getBytes(StandardCharsets.UTF_8)).ciphertextBlob();
        kms.rotateKeyOnDemand(keyId);
        assertEquals("v1", new String(decryptToBytes(before, Map.of()), StandardCharsets.UTF_8));
        assertEquals("v2", new String(decryptToBytes(after, Map.of()), StandardCharsets.UTF_8));
        List<KeyRotation> rotations = kms.listKeyRotations(keyId);
        assertEquals(2, rotations.size());
        assertTrue(rotations.stream().allMatch(r -> r.rotationType() == RotationType.ON_DEMAND));
    }

    @Test
    public void rotateKeyOnDemand_disabledKey_disabledException() {
        String keyId = newKey();
        kms.disableKey(keyId);
        assertThrows(DisabledException.class, () -> kms.rotateKeyOnDemand(keyId));
    }

    @Test
    public void keyRotation_enableReportsPeriod_disableTurnsItOff() {
        String keyId = newKey();
        assertFalse(kms.getKeyRotationStatus(keyId).rotationEnabled());
        assertThrows(ValidationException.class, () -> kms.enableKeyRotation(keyId, 89));
        assertThrows(ValidationException.class, () -> kms.enableKeyRotation(keyId, 2561));
        kms.enableKeyRotation(keyId, 180);
        KeyRotationStatus status = kms.getKeyRotationStatus(keyId);
        assertTrue(status.rotationEnabled());
        assertEquals(180, status.rotationPeriodInDays());
        assertNotNull(status.nextRotationDate());
        kms.disableKeyRotation(keyId);
        assertFalse(kms.getKeyRotationStatus(keyId).rotationEnabled());
    }

    @Test
    public void automaticRotation_periodElapsed_newVersionAndOldCiphertextsDecrypt() {
        String keyId = newKey();
        byte[] before = kms.encrypt(keyId, "old".getBytes(StandardCharsets.UTF_8)).ciphertextBlob();
        kms.enableKeyRotation(keyId, 90);
        if (!has(Capability.INJECTED_CLOCK)) {
            assertTrue(kms.listKeyRotations(keyId).isEmpty(), "no rotation before the period ends");
            return;
        }
        clock.advance(Duration.ofDays(91));
        byte[] after = kms.encrypt(keyId, "new".getBytes(StandardCharsets.UTF_8)).ciphertextBlob();
        List<KeyRotation> rotations = kms.listKeyRotations(keyId);
        assertEquals(1, rotations.size());
        assertEquals(RotationType.AUTOMATIC, rotations.get(0).rotationType());
        assertEquals("old", new String(decryptToBytes(before, Map.of()), StandardCharsets.UTF_8));
        assertEquals("new", new String(decryptToBytes(after, Map.of()), StandardCharsets.UTF_8));
        assertTrue(kms.getKeyRotationStatus(keyId).nextRotationDate().isAfter(clock.instant()));
    }

    // ================================================================ encrypt / decrypt

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 4096})
    public void encryptDecrypt_roundTrip_noKeyIdNeeded(int size) {
        String keyId = newKey();
        byte[] plaintext = random(size);
        EncryptResult encrypted = kms.encrypt(keyId, plaintext);
        assertTrue(encrypted.keyId().contains(keyId));
        try (DecryptResult r = kms.decrypt(encrypted.ciphertextBlob())) {
            assertArrayEquals(plaintext, r.plaintext());
            assertEquals(encrypted.keyId(), r.keyId());
        }
    }

    @Test
    public void encrypt_overFourKilobytes_validationExceptionPointsToEnvelopeEncryption() {
        String keyId = newKey();
        ValidationException e = assertThrows(ValidationException.class, () -> kms.encrypt(keyId, new byte[4097]));
        assertTrue(e.getMessage().contains("envelope"), e.getMessage());
        kms.encrypt(keyId, new byte[4096]);
    }

    @Test
    public void encrypt_emptyPlaintext_asTheProviderDeclares() {
        String keyId = newKey();
        if (has(Capability.EMPTY_PLAINTEXT)) {
            byte[] blob = kms.encrypt(keyId, new byte[0]).ciphertextBlob();
            assertEquals(0, decryptToBytes(blob, Map.of()).length);
        } else {
            assertThrows(ValidationException.class, () -> kms.encrypt(keyId, new byte[0]));
        }
    }

    @Test
    public void encrypt_missingPlaintext_validationException() {
        String keyId = newKey();
        assertThrows(ValidationException.class, () -> kms.encrypt(keyId, null));
    }

    @Test
    public void encrypt_samePlaintextTwice_differentCiphertexts() {
        String keyId = newKey();
        byte[] plaintext = random(32);
        assertFalse(java.util.Arrays.equals(kms.encrypt(keyId, plaintext).ciphertextBlob(),
                kms.encrypt(keyId, plaintext).ciphertextBlob()));
    }

    @Test
    public void decrypt_expectedKeyMatches_anyForm_succeeds() {
        KeyMetadata key = kms.createKey();
        String alias = uniqueAlias();
        kms.createAlias(alias, key.keyId());
        byte[] blob = kms.encrypt(key.keyId(), random(8)).ciphertextBlob();
        for (String ref : List.of(key.keyId(), key.arn(), alias)) {
            try (DecryptResult r = kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob).keyId(ref).build())) {
                assertEquals(8, r.length());
            }
        }
    }

    @Test
    public void decrypt_expectedKeyDiffers_incorrectKeyException() {
        String keyId = newKey();
        String other = newKey();
        byte[] blob = kms.encrypt(keyId, random(8)).ciphertextBlob();
        assertThrows(IncorrectKeyException.class,
                () -> kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob).keyId(other).build()));
    }

    @Test
    public void encryptionContext_mustMatchExactly_orderIrrelevant() {
        String keyId = newKey();
        Map<String, String> context = new LinkedHashMap<>();
        context.put("tenant", "acme");
        context.put("purpose", "invoices");
        context.put("ünïcödé", "✓ value");
        byte[] plaintext = random(20);
        byte[] blob = kms.encrypt(keyId, plaintext, context).ciphertextBlob();

        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("ünïcödé", "✓ value");
        reordered.put("purpose", "invoices");
        reordered.put("tenant", "acme");
        assertArrayEquals(plaintext, decryptToBytes(blob, reordered));

        Map<String, String> missing = new HashMap<>(context);
        missing.remove("purpose");
        Map<String, String> extra = new HashMap<>(context);
        extra.put("extra", "1");
        Map<String, String> changed = new HashMap<>(context);
        changed.put("tenant", "acme2");
        for (Map<String, String> wrong : List.of(Map.<String, String>of(), missing, extra, changed)) {
            assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(blob, wrong), wrong.toString());
        }
    }

    @Test
    public void encryptionContext_malformed_validationException() {
        String keyId = newKey();
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(ValidationException.class, () -> kms.encrypt(keyId, random(1), nullValue));
        assertThrows(ValidationException.class, () -> kms.encrypt(keyId, random(1), Map.of("", "v")));
        assertThrows(ValidationException.class, () -> kms.encrypt(keyId, random(1), Map.of("k", "v".repeat(9000))));
    }

    @Test
    public void decrypt_garbageOrEmpty_invalidCiphertext_oversize_validation() {
        newKey();
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(new byte[0]));
        for (int n : new int[] {1, 16, 40, 100, 1000}) {
            assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(random(n)), n + " random bytes");
        }
        assertThrows(ValidationException.class, () -> kms.decrypt(new byte[6145]));
        assertThrows(ValidationException.class, () -> kms.decrypt((byte[]) null));
    }

    /**
     * Every single-bit flip and every truncation of a ciphertext is rejected with InvalidCiphertextException,
     * and never yields plaintext.
     */
    @Test
    public void tamperSweep_everyBitFlipAndTruncation_invalidCiphertext() {
        String keyId = newKey();
        Map<String, String> context = Map.of("sweep", "yes");
        int checked = 0;
        for (int size : SWEEP_SIZES) {
            if (size == 0 && !has(Capability.EMPTY_PLAINTEXT)) {
                assertThrows(ValidationException.class, () -> kms.encrypt(keyId, new byte[0], context));
                continue;
            }
            byte[] blob = kms.encrypt(keyId, random(size), context).ciphertextBlob();
            for (int bit = 0; bit < blob.length * 8; bit++) {
                byte[] tampered = blob.clone();
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                expectInvalid(tampered, context, "size " + size + ", bit " + bit);
                checked++;
            }
            for (int length = 0; length < blob.length; length++) {
                expectInvalid(java.util.Arrays.copyOf(blob, length), context, "size " + size + ", length " + length);
                checked++;
            }
            audit.clear();
        }
        assertTrue(checked > 30_000, "checked " + checked + " tampered ciphertexts");
    }

    private void expectInvalid(byte[] tampered, Map<String, String> context, String what) {
        try (DecryptResult r = kms.decrypt(tampered, context)) {
            fail("tampered ciphertext decrypted (" + what + ") to " + r.length() + " bytes");
        } catch (InvalidCiphertextException expected) {
            // the required outcome
        } catch (KmsException other) {
            fail("tampered ciphertext (" + what + ") gave " + other.awsErrorCode() + ", not InvalidCiphertext: "
                    + other.getMessage());
        }
    }

    @Test
    public void reEncrypt_toAnotherKeyAndContext_decryptsThere() {
        String source = newKey();
        String destination = newKey();
        byte[] plaintext = random(100);
        byte[] blob = kms.encrypt(source, plaintext, Map.of("a", "1")).ciphertextBlob();
        ReEncryptResult re = kms.reEncrypt(ReEncryptRequest.builder().ciphertextBlob(blob)
                .sourceEncryptionContext(Map.of("a", "1")).destinationKeyId(destination)
                .destinationEncryptionContext(Map.of("b", "2")).build());
        assertTrue(re.keyId().contains(destination));
        assertTrue(re.sourceKeyId().contains(source));
        try (DecryptResult r = kms.decrypt(re.ciphertextBlob(), Map.of("b", "2"))) {
            assertArrayEquals(plaintext, r.plaintext());
            assertEquals(re.keyId(), r.keyId());
        }
    }

    @Test
    public void reEncrypt_wrongSourceContextOrKey_rejected() {
        String source = newKey();
        String destination = newKey();
        byte[] blob = kms.encrypt(source, random(10), Map.of("a", "1")).ciphertextBlob();
        assertThrows(InvalidCiphertextException.class, () -> kms.reEncrypt(ReEncryptRequest.builder()
                .ciphertextBlob(blob).destinationKeyId(destination).build()));
        assertThrows(IncorrectKeyException.class, () -> kms.reEncrypt(ReEncryptRequest.builder()
                .ciphertextBlob(blob).sourceEncryptionContext(Map.of("a", "1")).sourceKeyId(destination)
                .destinationKeyId(destination).build()));
        kms.disableKey(destination);
        assertThrows(DisabledException.class, () -> kms.reEncrypt(ReEncryptRequest.builder()
                .ciphertextBlob(blob).sourceEncryptionContext(Map.of("a", "1")).destinationKeyId(destination).build()));
    }

    // ================================================================ data keys and random

    @Test
    public void generateDataKey_specsAndByteCounts_ciphertextDecryptsToPlaintext() {
        String keyId = newKey();
        Map<String, String> context = Map.of("file", "report.pdf");
        for (GenerateDataKeyRequest request : List.of(
                GenerateDataKeyRequest.builder().keyId(keyId).encryptionContext(context).build(),
                GenerateDataKeyRequest.builder().keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context).build(),
                GenerateDataKeyRequest.builder().keyId(keyId).keySpec(DataKeySpec.AES_128).encryptionContext(context).build(),
                GenerateDataKeyRequest.builder().keyId(keyId).numberOfBytes(1).encryptionContext(context).build(),
                GenerateDataKeyRequest.builder().keyId(keyId).numberOfBytes(1024).encryptionContext(context).build())) {
            try (DataKey dataKey = kms.generateDataKey(request)) {
                int expected = request.keySpec() != null ? request.keySpec().lengthInBytes()
                        : request.numberOfBytes() != null ? request.numberOfBytes() : 32;
                assertEquals(expected, dataKey.length());
                assertTrue(dataKey.keyId().contains(keyId));
                assertArrayEquals(dataKey.plaintext(), decryptToBytes(dataKey.ciphertextBlob(), context));
                assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(dataKey.ciphertextBlob()));
            }
        }
    }

    @Test
    public void generateDataKey_badSizes_validationException() {
        String keyId = newKey();
        for (int n : new int[] {0, -1, 1025}) {
            assertThrows(ValidationException.class,
                    () -> kms.generateDataKey(GenerateDataKeyRequest.builder().keyId(keyId).numberOfBytes(n).build()));
        }
        assertThrows(ValidationException.class, () -> kms.generateDataKey(GenerateDataKeyRequest.builder()
                .keyId(keyId).keySpec(DataKeySpec.AES_256).numberOfBytes(32).build()));
    }

    @Test
    public void generateDataKey_twice_differentKeys() {
        String keyId = newKey();
        try (DataKey a = kms.generateDataKey(keyId, DataKeySpec.AES_256);
             DataKey b = kms.generateDataKey(keyId, DataKeySpec.AES_256)) {
            assertFalse(java.util.Arrays.equals(a.plaintext(), b.plaintext()));
        }
    }

    @Test
    public void generateDataKeyWithoutPlaintext_decryptsToAFreshKey() {
        String keyId = newKey();
        EncryptResult r = kms.generateDataKeyWithoutPlaintext(
                GenerateDataKeyRequest.builder().keyId(keyId).keySpec(DataKeySpec.AES_128).build());
        assertEquals(16, decryptToBytes(r.ciphertextBlob(), Map.of()).length);
    }

    @Test
    public void dataKeyAndDecryptResult_close_wipeAndRedact() {
        String keyId = newKey();
        DataKey dataKey = kms.generateDataKey(keyId, DataKeySpec.AES_256);
        String plainHex = HexFormat.of().formatHex(dataKey.plaintext());
        assertFalse(dataKey.toString().contains(plainHex));
        assertFalse(dataKey.toString().contains(Base64.getEncoder().encodeToString(dataKey.plaintext())));
        dataKey.close();
        assertTrue(dataKey.isDestroyed());
        assertThrows(IllegalStateException.class, dataKey::plaintext);
        assertTrue(dataKey.ciphertextBlob().length > 32, "the encrypted copy outlives the plaintext");

        DecryptResult result = kms.decrypt(kms.encrypt(keyId, "secret-value".getBytes(StandardCharsets.UTF_8))
                .ciphertextBlob());
        assertFalse(result.toString().contains("secret-value"));
        result.close();
        assertThrows(IllegalStateException.class, result::plaintext);
    }

    @Test
    public void generateRandom_requestedLengthsAndNeverRepeats() {
        assertEquals(1, kms.generateRandom(1).length);
        assertEquals(1024, kms.generateRandom(1024).length);
        assertFalse(java.util.Arrays.equals(kms.generateRandom(32), kms.generateRandom(32)));
        assertThrows(ValidationException.class, () -> kms.generateRandom(0));
        assertThrows(ValidationException.class, () -> kms.generateRandom(1025));
    }

    // ================================================================ audit

    @Test
    public void audit_everyOperation_exactlyOneCloudTrailShapedEvent() {
        audit.clear();
        String keyId = kms.createKey().keyId();
        String alias = uniqueAlias();
        kms.createAlias(alias, keyId);
        byte[] blob = kms.encrypt(alias, random(10), Map.of("c", "1")).ciphertextBlob();
        decryptToBytes(blob, Map.of("c", "1"));
        kms.describeKey(keyId);
        kms.listKeys(10, null);
        kms.listAliases(keyId, 10, null);
        kms.generateDataKey(keyId, DataKeySpec.AES_256).close();
        kms.generateDataKeyWithoutPlaintext(GenerateDataKeyRequest.builder().keyId(keyId).build());
        kms.generateRandom(16);
        kms.reEncrypt(ReEncryptRequest.builder().ciphertextBlob(blob).sourceEncryptionContext(Map.of("c", "1"))
                .destinationKeyId(keyId).build());
        kms.rotateKeyOnDemand(keyId);
        kms.listKeyRotations(keyId);
        kms.enableKeyRotation(keyId);
        kms.getKeyRotationStatus(keyId);
        kms.disableKeyRotation(keyId);
        kms.disableKey(keyId);
        kms.enableKey(keyId);
        kms.updateAlias(alias, keyId);
        kms.deleteAlias(alias);
        kms.scheduleKeyDeletion(keyId, 7);
        kms.cancelKeyDeletion(keyId);

        List<String> expected = List.of("CreateKey", "CreateAlias", "Encrypt", "Decrypt", "DescribeKey", "ListKeys",
                "ListAliases", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateRandom", "ReEncrypt",
                "RotateKeyOnDemand", "ListKeyRotations", "EnableKeyRotation", "GetKeyRotationStatus",
                "DisableKeyRotation", "DisableKey", "EnableKey", "UpdateAlias", "DeleteAlias", "ScheduleKeyDeletion",
                "CancelKeyDeletion");
        List<AuditEvent> events = audit.events();
        assertEquals(expected, events.stream().map(AuditEvent::eventName).toList());
        Set<String> requestIds = new HashSet<>();
        for (AuditEvent e : events) {
            assertEquals(kms.providerInfo().eventSource(), e.eventSource());
            assertNull(e.errorCode(), e.eventName());
            assertTrue(requestIds.add(e.requestId()), "request ids are unique");
            assertNotNull(e.userIdentity().principalId());
            assertNotNull(e.sourceIpAddress());
            assertNotNull(e.userAgent());
            assertFalse(e.eventTime().isAfter(clock.instant()));
            String json = e.toJson();
            for (String field : List.of("\"eventVersion\"", "\"eventTime\"", "\"eventSource\"", "\"eventName\"",
                    "\"requestID\"", "\"userIdentity\"", "\"sourceIPAddress\"", "\"userAgent\"",
                    "\"requestParameters\"", "\"resources\"")) {
                assertTrue(json.contains(field), e.eventName() + " lacks " + field);
            }
        }
        AuditEvent encrypt = events.get(2);
        assertEquals(alias, encrypt.requestParameters().get("keyId"));
        assertEquals(Map.of("c", "1"), encrypt.requestParameters().get("encryptionContext"));
        assertTrue(encrypt.resources().get(0).arn().contains(keyId), "resources name the key, not the alias");
        assertEquals("AWS::KMS::Key", encrypt.resources().get(0).type());
        AuditEvent decrypt = events.get(3);
        assertTrue(decrypt.resources().get(0).arn().contains(keyId), "decrypt names the key the blob named");
        assertEquals("AES_256", events.get(7).requestParameters().get("keySpec"));
    }

    @Test
    public void audit_failedCalls_recordedWithErrorCodeAndMessage() {
        audit.clear();
        String unknown = UUID.randomUUID().toString();
        assertThrows(NotFoundException.class, () -> kms.encrypt(unknown, random(1)));
        assertThrows(ValidationException.class, () -> kms.encrypt(unknown, new byte[5000]));
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(random(60)));
        List<AuditEvent> events = audit.events();
        assertEquals(3, events.size(), "refused and failed calls are audited too");
        assertEquals("NotFoundException", events.get(0).errorCode());
        assertEquals("ValidationException", events.get(1).errorCode());
        assertEquals("InvalidCiphertextException", events.get(2).errorCode());
        for (AuditEvent e : events) {
            assertNotNull(e.errorMessage());
            assertTrue(e.failed());
        }
        assertEquals(unknown, events.get(0).requestParameters().get("keyId"));
    }

    @Test
    public void audit_eventsNeverContainSecrets() {
        audit.clear();
        String keyId = newKey();
        byte[] plaintext = ("PLAINTEXT-MARKER-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] blob = kms.encrypt(keyId, plaintext, Map.of("ctx", "visible")).ciphertextBlob();
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(plaintext);
        secrets.add(decryptToBytes(blob, Map.of("ctx", "visible")));
        try (DataKey dk = kms.generateDataKey(keyId, DataKeySpec.AES_256)) {
            secrets.add(dk.plaintext());
            secrets.add(dk.ciphertextBlob());
        }
        secrets.add(blob);
        byte[] random = kms.generateRandom(32);
        secrets.add(random);
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(blob, Map.of("ctx", "other")));
        StringBuilder all = new StringBuilder();
        for (AuditEvent e : audit.events()) {
            all.append(e.toJson()).append('\n');
        }
        String trail = all.toString();
        assertTrue(trail.contains("visible"), "the encryption context is logged, as in CloudTrail");
        for (byte[] secret : secrets) {
            for (String form : List.of(new String(secret, StandardCharsets.ISO_8859_1),
                    Base64.getEncoder().encodeToString(secret), HexFormat.of().formatHex(secret),
                    HexFormat.of().withUpperCase().formatHex(secret))) {
                assertFalse(trail.contains(form.substring(0, Math.min(form.length(), 24))),
                        "an audit event contains secret bytes");
            }
        }
        assertFalse(trail.contains("PLAINTEXT-MARKER"));
    }

    @Test
    public void audit_sinkFailure_failsClosedWithoutPlaintext() {
        String keyId = newKey();
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        auditBroken = true;
        try {
            KmsInternalException e = assertThrows(KmsInternalException.class, () -> kms.decrypt(blob));
            assertTrue(e.getMessage().contains("audit"), e.getMessage());
            assertThrows(KmsInternalException.class, () -> kms.generateDataKey(keyId, DataKeySpec.AES_256));
            assertThrows(KmsInternalException.class, () -> kms.generateRandom(16));
            // A call that fails anyway keeps its own error; the audit failure rides along as suppressed.
            NotFoundException notFound = assertThrows(NotFoundException.class,
                    () -> kms.describeKey(UUID.randomUUID().toString()));
            assertEquals(1, notFound.getSuppressed().length);
        } finally {
            auditBroken = false;
        }
        assertEquals(10, decryptToBytes(blob, Map.of()).length, "with the sink healthy again, calls succeed");
    }

    // ================================================================ concurrency

    @Test
    public void concurrency_manyThreadsThousandsOfOperations_noErrorsOneEventEach() throws Exception {
        String keyA = newKey();
        String keyB = newKey();
        audit.clear();
        int threads = 16;
        int total = Math.max(2000, concurrentOperations());
        int perThread = total / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger operations = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    try {
                        String key = (i + thread) % 2 == 0 ? keyA : keyB;
                        Map<String, String> context = Map.of("thread", Integer.toString(thread));
                        switch (i % 4) {
                            case 0: {
                                byte[] p = random(1 + i % 300);
                                byte[] blob = kms.encrypt(key, p, context).ciphertextBlob();
                                operations.incrementAndGet();
                                if (!java.util.Arrays.equals(p, decryptToBytes(blob, context))) {
                                    throw new AssertionError("round trip mismatch");
                                }
                                operations.incrementAndGet();
                                break;
                            }
                            case 1: {
                                try (DataKey dk = kms.generateDataKey(key, DataKeySpec.AES_256, context)) {
                                    operations.incrementAndGet();
                                    if (!java.util.Arrays.equals(dk.plaintext(),
                                            decryptToBytes(dk.ciphertextBlob(), context))) {
                                        throw new AssertionError("data key mismatch");
                                    }
                                    operations.incrementAndGet();
                                }
                                break;
                            }
                            case 2:
                                kms.describeKey(key);
                                operations.incrementAndGet();
                                break;
                            default:
                                kms.generateRandom(32);
                                operations.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError(errors.size() + " operations failed");
            errors.stream().limit(5).forEach(failure::addSuppressed);
            throw failure;
        }
        assertTrue(operations.get() >= total, "ran " + operations.get() + " operations");
        assertEquals(operations.get(), audit.size(), "exactly one audit event per operation");
        assertEquals(operations.get(), audit.events().stream().map(AuditEvent::requestId).distinct().count());
    }

    // ================================================================ signatures (capability SIGN_VERIFY)

    /**
     * Whether the provider signs. When it does not, checks that it refuses asymmetric keys with
     * {@link UnsupportedKmsOperationException} instead of emulating them, so each signature test checks the
     * declared behaviour either way.
     */
    private boolean signsOrRefuses() {
        if (has(Capability.SIGN_VERIFY)) {
            return true;
        }
        assertThrows(UnsupportedKmsOperationException.class, () -> kms.createKey(
                new CreateKeyRequest("", KeyUsage.SIGN_VERIFY, KeySpec.ECC_NIST_P256)));
        return false;
    }

    private String newSigningKey(KeySpec spec) {
        return kms.createKey(new CreateKeyRequest("conformance signing " + UUID.randomUUID(), KeyUsage.SIGN_VERIFY,
                spec)).keyId();
    }

    private SignResult sign(String keyId, byte[] message, MessageType type, SigningAlgorithm algorithm) {
        return kms.sign(SignRequest.builder().keyId(keyId).message(message).messageType(type)
                .signingAlgorithm(algorithm).build());
    }

    private VerifyResult verify(String keyId, byte[] message, MessageType type, byte[] signature,
                                SigningAlgorithm algorithm) {
        return kms.verify(SignRequest.builder().keyId(keyId).message(message).messageType(type)
                .signature(signature).signingAlgorithm(algorithm).build());
    }

    private static byte[] digest(SigningAlgorithm algorithm, byte[] message) throws GeneralSecurityException {
        return MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(message);
    }

    private static boolean jcaVerifies(PublicKeyResult publicKey, SigningAlgorithm algorithm, byte[] message,
                                       byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm.jcaName());
        if (algorithm.pssParameters() != null) {
            verifier.setParameter(algorithm.pssParameters());
        }
        verifier.initVerify(publicKey.toJcaPublicKey());
        verifier.update(message);
        return verifier.verify(signature);
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384"})
    public void sign_everyAlgorithmOfEveryAsymmetricSpec_verifiesInKmsAndInPlainJca(KeySpec spec)
            throws GeneralSecurityException {
        if (!signsOrRefuses()) {
            return;
        }
        KeyMetadata created = kms.createKey(new CreateKeyRequest("conformance " + spec, KeyUsage.SIGN_VERIFY, spec));
        assertEquals(KeyUsage.SIGN_VERIFY, created.keyUsage());
        assertEquals(spec, created.keySpec());
        assertEquals(SigningAlgorithm.forKeySpec(spec), kms.describeKey(created.keyId()).signingAlgorithms());
        PublicKeyResult publicKey = kms.getPublicKey(created.keyId());
        assertEquals(spec, publicKey.keySpec());
        assertEquals(KeyUsage.SIGN_VERIFY, publicKey.keyUsage());
        assertEquals(created.arn(), publicKey.keyId());
        byte[] message = "the quick brown fox".getBytes(StandardCharsets.UTF_8);
        for (SigningAlgorithm algorithm : SigningAlgorithm.forKeySpec(spec)) {
            SignResult raw = sign(created.keyId(), message, MessageType.RAW, algorithm);
            assertEquals(created.arn(), raw.keyId());
            assertEquals(algorithm, raw.signingAlgorithm());
            assertTrue(jcaVerifies(publicKey, algorithm, message, raw.signature()), algorithm + " in plain JCA");
            VerifyResult verified = verify(created.keyId(), message, MessageType.RAW, raw.signature(), algorithm);
            assertTrue(verified.signatureValid());
            assertEquals(created.arn(), verified.keyId());
            // A signature over the digest is a signature over the message, both ways round.
            byte[] digest = digest(algorithm, message);
            SignResult overDigest = sign(created.keyId(), digest, MessageType.DIGEST, algorithm);
            assertTrue(jcaVerifies(publicKey, algorithm, message, overDigest.signature()), algorithm + " digest");
            verify(created.keyId(), message, MessageType.RAW, overDigest.signature(), algorithm);
            verify(created.keyId(), digest, MessageType.DIGEST, raw.signature(), algorithm);
        }
    }

    @Test
    public void verify_alteredMessageSignatureOrAlgorithm_invalidSignature() {
        if (!signsOrRefuses()) {
            return;
        }
        byte[] message = random(100);
        for (KeySpec spec : new KeySpec[] {KeySpec.ECC_NIST_P256, KeySpec.RSA_2048}) {
            String keyId = newSigningKey(spec);
            SigningAlgorithm algorithm = SigningAlgorithm.forKeySpec(spec).get(0);
            byte[] signature = sign(keyId, message, MessageType.RAW, algorithm).signature();
            byte[] otherMessage = message.clone();
            otherMessage[7] ^= 1;
            assertThrows(KmsInvalidSignatureException.class,
                    () -> verify(keyId, otherMessage, MessageType.RAW, signature, algorithm), spec + " message");
            for (int bit : new int[] {0, 8 * signature.length / 2, 8 * signature.length - 1}) {
                byte[] flipped = signature.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThrows(KmsInvalidSignatureException.class,
                        () -> verify(keyId, message, MessageType.RAW, flipped, algorithm), spec + " bit " + bit);
            }
            byte[] truncated = java.util.Arrays.copyOf(signature, signature.length - 1);
            assertThrows(KmsInvalidSignatureException.class,
                    () -> verify(keyId, message, MessageType.RAW, truncated, algorithm), spec + " truncated");
            assertThrows(KmsInvalidSignatureException.class,
                    () -> verify(keyId, message, MessageType.RAW, random(signature.length), algorithm), spec + " random");
            if (spec == KeySpec.RSA_2048) {
                SigningAlgorithm other = SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256;
                assertThrows(KmsInvalidSignatureException.class,
                        () -> verify(keyId, message, MessageType.RAW, signature, other), "PSS as PKCS#1");
            }
        }
        assertTrue(audit.events().stream().filter(e -> e.eventName().equals("Verify"))
                .allMatch(e -> "KMSInvalidSignatureException".equals(e.errorCode())));
    }

    @Test
    public void verify_signatureOfAnotherKey_invalidSignature() {
        if (!signsOrRefuses()) {
            return;
        }
        String signer = newSigningKey(KeySpec.ECC_NIST_P256);
        String other = newSigningKey(KeySpec.ECC_NIST_P256);
        byte[] message = random(32);
        byte[] signature = sign(signer, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256).signature();
        assertThrows(KmsInvalidSignatureException.class,
                () -> verify(other, message, MessageType.RAW, signature, SigningAlgorithm.ECDSA_SHA_256));
    }

    @Test
    public void signAndVerify_encryptionKeyOrAlgorithmOfAnotherSpec_invalidKeyUsage() {
        if (!signsOrRefuses()) {
            return;
        }
        String symmetric = newKey();
        assertThrows(InvalidKeyUsageException.class,
                () -> sign(symmetric, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        String ec = newSigningKey(KeySpec.ECC_NIST_P256);
        assertThrows(InvalidKeyUsageException.class,
                () -> sign(ec, random(8), MessageType.RAW, SigningAlgorithm.RSASSA_PSS_SHA_256));
        assertThrows(InvalidKeyUsageException.class,
                () -> sign(ec, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_384));
        assertThrows(InvalidKeyUsageException.class,
                () -> verify(ec, random(8), MessageType.RAW, random(64), SigningAlgorithm.RSASSA_PSS_SHA_256));
        String rsa = newSigningKey(KeySpec.RSA_2048);
        assertThrows(InvalidKeyUsageException.class,
                () -> sign(rsa, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
    }

    @Test
    public void encryptAndDataKeys_signingKey_invalidKeyUsage() {
        if (!signsOrRefuses()) {
            return;
        }
        String signing = newSigningKey(KeySpec.ECC_NIST_P256);
        assertThrows(InvalidKeyUsageException.class, () -> kms.encrypt(signing, random(16)));
        assertThrows(InvalidKeyUsageException.class, () -> kms.generateDataKey(signing, DataKeySpec.AES_256));
    }

    @Test
    public void getPublicKey_symmetricKey_unsupportedOperation() {
        if (!signsOrRefuses()) {
            return;
        }
        String symmetric = newKey();
        assertThrows(UnsupportedKmsOperationException.class, () -> kms.getPublicKey(symmetric));
    }

    @Test
    public void sign_messageTooLongOrDigestOfWrongLength_validationException() {
        if (!signsOrRefuses()) {
            return;
        }
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        sign(keyId, random(4096), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256);
        assertThrows(ValidationException.class,
                () -> sign(keyId, random(4097), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(ValidationException.class,
                () -> sign(keyId, new byte[0], MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(ValidationException.class,
                () -> sign(keyId, random(31), MessageType.DIGEST, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(ValidationException.class,
                () -> sign(keyId, random(33), MessageType.DIGEST, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(ValidationException.class,
                () -> sign(keyId, random(32), MessageType.RAW, null));
        assertThrows(ValidationException.class,
                () -> verify(keyId, random(32), MessageType.RAW, new byte[0], SigningAlgorithm.ECDSA_SHA_256));
    }

    @Test
    public void signVerifyAndGetPublicKey_disabledOrPendingDeletionKey_refused() {
        if (!signsOrRefuses()) {
            return;
        }
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        byte[] message = random(20);
        byte[] signature = sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256).signature();
        kms.disableKey(keyId);
        assertThrows(DisabledException.class,
                () -> sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(DisabledException.class,
                () -> verify(keyId, message, MessageType.RAW, signature, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(DisabledException.class, () -> kms.getPublicKey(keyId));
        kms.enableKey(keyId);
        verify(keyId, message, MessageType.RAW, signature, SigningAlgorithm.ECDSA_SHA_256);
        kms.scheduleKeyDeletion(keyId, 7);
        assertThrows(KmsInvalidStateException.class,
                () -> sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        assertThrows(KmsInvalidStateException.class, () -> kms.getPublicKey(keyId));
    }

    @Test
    public void signAndVerify_auditEvents_nameKeyAndAlgorithmButNeverTheMessage() {
        if (!signsOrRefuses()) {
            return;
        }
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        byte[] message = "message-that-must-not-be-logged".getBytes(StandardCharsets.UTF_8);
        byte[] signature = sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256).signature();
        verify(keyId, message, MessageType.RAW, signature, SigningAlgorithm.ECDSA_SHA_256);
        kms.getPublicKey(keyId);
        List<String> names = new ArrayList<>();
        for (AuditEvent e : audit.events()) {
            names.add(e.eventName());
            String json = e.toJson();
            assertFalse(json.contains("message-that-must-not-be-logged"), e.eventName());
            assertFalse(json.contains(Base64.getEncoder().encodeToString(message)), e.eventName());
            assertFalse(json.contains(Base64.getEncoder().encodeToString(signature)), e.eventName());
            assertFalse(json.contains(HexFormat.of().formatHex(signature)), e.eventName());
            if (e.eventName().equals("Sign") || e.eventName().equals("Verify")) {
                assertNull(e.errorCode());
                assertEquals("ECDSA_SHA_256", e.requestParameters().get("signingAlgorithm"));
                assertEquals("RAW", e.requestParameters().get("messageType"));
                assertEquals(keyId, e.requestParameters().get("keyId"));
                assertFalse(e.resources().isEmpty(), "the key is named among the resources");
            }
        }
        assertTrue(names.containsAll(List.of("CreateKey", "Sign", "Verify", "GetPublicKey")), names.toString());
    }

    @Test
    public void rotateKeyOnDemand_signingKey_unsupportedOperation() {
        if (!signsOrRefuses()) {
            return;
        }
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        assertThrows(UnsupportedKmsOperationException.class, () -> kms.rotateKeyOnDemand(keyId));
    }
}
