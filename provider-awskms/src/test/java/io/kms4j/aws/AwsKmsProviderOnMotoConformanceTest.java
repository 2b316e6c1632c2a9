package io.kms4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kms4j.AccessDeniedException;
import io.kms4j.CreateKeyRequest;
import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.IncorrectKeyException;
import io.kms4j.InvalidCiphertextException;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeySpec;
import io.kms4j.KeyState;
import io.kms4j.KeyUsage;
import io.kms4j.KmsException;
import io.kms4j.KmsInvalidSignatureException;
import io.kms4j.MessageType;
import io.kms4j.Page;
import io.kms4j.PublicKeyResult;
import io.kms4j.ReEncryptRequest;
import io.kms4j.SignRequest;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.ValidationException;
import io.kms4j.audit.AuditEvent;
import io.kms4j.conformance.KmsConformanceSuite;
import io.kms4j.conformance.MutableClock;
import io.kms4j.spi.KmsProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance suite through the AWS provider against {@code moto_server} 5.x, a third-party AWS emulator:
 * the AWS SDK's requests and kms4j's mapping of AWS's answers, checked against a server kms4j did not write.
 *
 * <p>moto is not AWS KMS. Where it answers differently from real KMS, the test method is overridden here: the
 * override's javadoc says how moto differs and why, and it asserts moto's actual behaviour, so the case still
 * runs and a change in moto is noticed. Every override is listed in {@code docs/AWS.md}. The same cases run
 * unchanged, with AWS's behaviour, against the kms4j server in {@link AwsKmsProviderOnKms4jServerConformanceTest}.
 */
class AwsKmsProviderOnMotoConformanceTest extends KmsConformanceSuite {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    /** moto's ciphertext starts with the key id in ASCII (36 bytes), then the IV, tag and ciphertext. */
    private static final int MOTO_KEY_ID_PREFIX = 36;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected KmsProvider createProvider(MutableClock clock) {
        return AwsTestClients.provider(MOTO.endpoint());
    }

    /** moto takes about as long per call as the suite's 16 threads can issue; the suite's minimum is enough. */
    @Override
    protected int concurrentOperations() {
        return 2000;
    }

    private String newKey() {
        return kms.createKey().keyId();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private byte[] decrypt(byte[] blob, Map<String, String> context) {
        try (DecryptResult r = kms.decrypt(blob, context)) {
            return r.plaintext();
        }
    }

    /**
     * moto does not enforce key state: a disabled key still encrypts, decrypts and makes data keys (real KMS:
     * {@code DisabledException}). The state itself is reported correctly.
     */
    @Test
    @Override
    public void disableKey_refusesCryptography_enableKeyRestoresIt() {
        String keyId = newKey();
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        kms.disableKey(keyId);
        assertEquals(KeyState.DISABLED, kms.describeKey(keyId).keyState());
        kms.encrypt(keyId, random(10));
        assertEquals(10, decrypt(blob, Map.of()).length);
        kms.generateDataKey(keyId, DataKeySpec.AES_256).close();
        kms.enableKey(keyId);
        assertEquals(KeyState.ENABLED, kms.describeKey(keyId).keyState());
    }

    /**
     * moto does not enforce key state: a key pending deletion still encrypts and decrypts (real KMS:
     * {@code KMSInvalidStateException}), and EnableKey on it succeeds and silently drops the scheduled deletion
     * (real KMS refuses). State, deletion date and listing are as in KMS.
     */
    @Test
    @Override
    public void scheduleKeyDeletion_keyPendingDeletion_unusableButDescribable() {
        String keyId = newKey();
        byte[] blob = kms.encrypt(keyId, random(10)).ciphertextBlob();
        Instant before = clock.instant();
        KeyMetadata m = kms.scheduleKeyDeletion(keyId, 7);
        assertEquals(KeyState.PENDING_DELETION, m.keyState());
        Duration window = Duration.between(before, m.deletionDate());
        assertTrue(window.compareTo(Duration.ofDays(6)) > 0 && window.compareTo(Duration.ofDays(8)) < 0, window.toString());
        assertEquals(KeyState.PENDING_DELETION, kms.describeKey(keyId).keyState());
        assertTrue(kms.listAllKeys().stream().anyMatch(e -> e.keyId().equals(keyId)));
        kms.encrypt(keyId, random(10));
        assertEquals(10, decrypt(blob, Map.of()).length);
        kms.enableKey(keyId);
        assertEquals(KeyState.ENABLED, kms.describeKey(keyId).keyState(), "moto re-enables and forgets the deletion");
    }

    /**
     * moto answers CancelKeyDeletion on a key that is not pending deletion with success (real KMS:
     * {@code KMSInvalidStateException}). Cancelling a real scheduled deletion behaves as in KMS.
     */
    @Test
    @Override
    public void cancelKeyDeletion_keyBecomesDisabled() {
        String keyId = newKey();
        kms.cancelKeyDeletion(keyId);
        kms.scheduleKeyDeletion(keyId, 30);
        kms.cancelKeyDeletion(keyId);
        KeyMetadata m = kms.describeKey(keyId);
        assertEquals(KeyState.DISABLED, m.keyState());
        assertNull(m.deletionDate());
        kms.enableKey(keyId);
        kms.encrypt(keyId, random(1));
    }

    /** moto rotates a disabled key on demand (real KMS: {@code DisabledException}). */
    @Test
    @Override
    public void rotateKeyOnDemand_disabledKey_disabledException() {
        String keyId = newKey();
        kms.disableKey(keyId);
        assertEquals(2, kms.rotateKeyOnDemand(keyId).keyVersion(), "the first rotation makes version 2");
    }

    /**
     * moto's GetKeyRotationStatus answers only {@code KeyRotationEnabled}, without the rotation period and the
     * next rotation date real KMS reports, so kms4j reports period 0 and no date. kms4j's own range check of
     * the period (90 to 2560 days) runs before the call, as everywhere.
     */
    @Test
    @Override
    public void keyRotation_enableReportsPeriod_disableTurnsItOff() {
        String keyId = newKey();
        assertFalse(kms.getKeyRotationStatus(keyId).rotationEnabled());
        assertThrows(ValidationException.class, () -> kms.enableKeyRotation(keyId, 89));
        assertThrows(ValidationException.class, () -> kms.enableKeyRotation(keyId, 2561));
        kms.enableKeyRotation(keyId, 180);
        KeyRotationStatus status = kms.getKeyRotationStatus(keyId);
        assertTrue(status.rotationEnabled());
        assertEquals(0, status.rotationPeriodInDays(), "moto does not report the period");
        assertNull(status.nextRotationDate(), "moto does not report the next rotation date");
        kms.disableKeyRotation(keyId);
        assertFalse(kms.getKeyRotationStatus(keyId).rotationEnabled());
    }

    /**
     * moto ignores {@code Limit} and {@code Marker} on ListKeys: it returns every key on one page with
     * {@code Truncated: false} (real KMS pages). Every key is still listed exactly once.
     */
    @Test
    @Override
    public void listKeys_paginated_everyKeyExactlyOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(newKey());
        }
        Page<KeyListEntry> page = kms.listKeys(3, null);
        assertFalse(page.truncated(), "moto answers with one page");
        List<String> seen = page.items().stream().map(KeyListEntry::keyId).toList();
        assertTrue(seen.size() >= 7, "moto ignores the limit of 3");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no key is listed twice");
        assertTrue(seen.containsAll(created));
    }

    /**
     * moto ignores a marker it never issued and answers with the first page (real KMS:
     * {@code InvalidMarkerException}). Limits outside 1 to 1000 are refused by kms4j before the call, as
     * everywhere.
     */
    @Test
    @Override
    public void listKeys_foreignMarkerOrBadLimit_rejected() {
        String keyId = newKey();
        assertTrue(kms.listKeys(10, "not-a-marker").items().stream().anyMatch(e -> e.keyId().equals(keyId)));
        assertThrows(ValidationException.class, () -> kms.listKeys(0, null));
        assertThrows(ValidationException.class, () -> kms.listKeys(1001, null));
    }

    /**
     * moto answers Decrypt naming another existing key with {@code AccessDeniedException} (real KMS:
     * {@code IncorrectKeyException}). Either way no plaintext is returned.
     */
    @Test
    @Override
    public void decrypt_expectedKeyDiffers_incorrectKeyException() {
        String keyId = newKey();
        String other = newKey();
        byte[] blob = kms.encrypt(keyId, random(8)).ciphertextBlob();
        assertThrows(AccessDeniedException.class,
                () -> kms.decrypt(DecryptRequest.builder().ciphertextBlob(blob).keyId(other).build()));
    }

    /**
     * moto re-encrypts under a disabled destination key (real KMS: {@code DisabledException}). A wrong source
     * context is refused as in KMS; a wrong source key is refused with {@code IncorrectKeyException} by kms4j's
     * own check of the key moto reports, even though moto does not check it.
     */
    @Test
    @Override
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
        assertNotNull(kms.reEncrypt(ReEncryptRequest.builder().ciphertextBlob(blob)
                .sourceEncryptionContext(Map.of("a", "1")).destinationKeyId(destination).build()));
    }

    /**
     * moto's ciphertext is {@code key id (36 ASCII bytes) ‖ IV ‖ tag ‖ AES-GCM ciphertext}, so the raw bytes of
     * a blob begin with the key id, which audit events name by design: the suite's check of the blob's leading
     * bytes as text matches the key id, not a secret. Real KMS blobs are opaque. Here every secret is checked
     * exactly as in the suite, except that a moto blob's key-id prefix is left out of the raw-text probe.
     */
    @Test
    @Override
    public void audit_eventsNeverContainSecrets() {
        audit.clear();
        String keyId = newKey();
        byte[] plaintext = ("PLAINTEXT-MARKER-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] blob = kms.encrypt(keyId, plaintext, Map.of("ctx", "visible")).ciphertextBlob();
        List<byte[]> secrets = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        secrets.add(plaintext);
        secrets.add(decrypt(blob, Map.of("ctx", "visible")));
        try (DataKey dk = kms.generateDataKey(keyId, DataKeySpec.AES_256)) {
            secrets.add(dk.plaintext());
            blobs.add(dk.ciphertextBlob());
        }
        blobs.add(blob);
        secrets.add(kms.generateRandom(32));
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(blob, Map.of("ctx", "other")));
        StringBuilder all = new StringBuilder();
        for (AuditEvent e : audit.events()) {
            all.append(e.toJson()).append('\n');
        }
        String trail = all.toString();
        assertTrue(trail.contains("visible"));
        for (byte[] b : blobs) {
            assertEquals(keyId, new String(b, 0, MOTO_KEY_ID_PREFIX, StandardCharsets.US_ASCII),
                    "moto's blob starts with the key id");
            secrets.add(Arrays.copyOfRange(b, MOTO_KEY_ID_PREFIX, b.length));
            assertFalse(trail.contains(Base64.getEncoder().encodeToString(b).substring(0, 24)));
            assertFalse(trail.contains(HexFormat.of().formatHex(b).substring(0, 24)));
        }
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

    /**
     * moto's blob begins with the key id in ASCII: a bit flipped there names another key, which moto answers
     * with {@code AccessDeniedException} or {@code NotFoundException} instead of real KMS's
     * {@code InvalidCiphertextException}, and random bytes likewise. The authenticated rest (IV, tag, ciphertext)
     * behaves as in KMS. The sweep also runs on a documented subset: the suite's 4096-byte plaintext alone is
     * over 34,000 decryptions, which moto (one Python process, a few milliseconds a call) takes minutes for;
     * the full sweep runs against the kms4j server. Here: plaintexts of 1, 16 and 17 bytes, every bit flip and
     * every truncation; flips in the key-id prefix must fail with some kms4j error, all others with
     * {@code InvalidCiphertextException}, and none may yield plaintext.
     */
    @Test
    @Override
    public void tamperSweep_everyBitFlipAndTruncation_invalidCiphertext() {
        String keyId = newKey();
        Map<String, String> context = Map.of("sweep", "yes");
        int checked = 0;
        for (int size : new int[] {1, 16, 17}) {
            byte[] blob = kms.encrypt(keyId, random(size), context).ciphertextBlob();
            for (int bit = 0; bit < blob.length * 8; bit++) {
                byte[] tampered = blob.clone();
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                expectRefused(tampered, context, bit / 8 >= MOTO_KEY_ID_PREFIX, "size " + size + ", bit " + bit);
                checked++;
            }
            for (int length = 0; length < blob.length; length++) {
                expectRefused(Arrays.copyOf(blob, length), context, length >= MOTO_KEY_ID_PREFIX,
                        "size " + size + ", length " + length);
                checked++;
            }
            audit.clear();
        }
        assertTrue(checked > 1_800, "checked " + checked + " tampered ciphertexts");
    }

    private void expectRefused(byte[] tampered, Map<String, String> context, boolean authenticatedPart, String what) {
        try (DecryptResult r = kms.decrypt(tampered, context)) {
            fail("tampered ciphertext decrypted (" + what + ") to " + r.length() + " bytes");
        } catch (InvalidCiphertextException expected) {
            // KMS's answer, and moto's for the authenticated part
        } catch (KmsException other) {
            if (authenticatedPart) {
                fail("tampered ciphertext (" + what + ") gave " + other.awsErrorCode() + ", not InvalidCiphertext");
            }
        }
    }

    // ---------------------------------------------------------------- signatures

    private String newSigningKey(KeySpec spec) {
        return kms.createKey(new CreateKeyRequest("moto signing", KeyUsage.SIGN_VERIFY, spec)).keyId();
    }

    private SignResult sign(String keyId, byte[] message, MessageType type, SigningAlgorithm algorithm) {
        return kms.sign(SignRequest.builder().keyId(keyId).message(message).messageType(type)
                .signingAlgorithm(algorithm).build());
    }

    private void verify(String keyId, byte[] message, MessageType type, byte[] signature, SigningAlgorithm algorithm) {
        kms.verify(SignRequest.builder().keyId(keyId).message(message).messageType(type).signature(signature)
                .signingAlgorithm(algorithm).build());
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

    /** RSASSA-PSS with the longest salt the key allows (modulus bytes − hash length − 2), as moto signs. */
    private static boolean jcaVerifiesWithLongestSalt(PublicKeyResult publicKey, SigningAlgorithm algorithm,
                                                      byte[] message, byte[] signature)
            throws GeneralSecurityException {
        java.security.interfaces.RSAPublicKey rsa = (java.security.interfaces.RSAPublicKey) publicKey.toJcaPublicKey();
        int emLength = (rsa.getModulus().bitLength() - 1 + 7) / 8;
        Signature verifier = Signature.getInstance("RSASSA-PSS");
        verifier.setParameter(new java.security.spec.PSSParameterSpec(algorithm.digestAlgorithm(), "MGF1",
                new java.security.spec.MGF1ParameterSpec(algorithm.digestAlgorithm()),
                emLength - algorithm.digestLength() - 2, java.security.spec.PSSParameterSpec.TRAILER_FIELD_BC));
        verifier.initVerify(rsa);
        verifier.update(message);
        return verifier.verify(signature);
    }

    /**
     * moto ignores {@code MessageType: DIGEST}: it hashes the given digest again and signs that, so its "digest"
     * signature is a signature over the digest taken as a message, which does not verify over the original
     * message (real KMS signs the digest as given). moto's RSASSA-PSS uses the longest salt the key allows, not
     * AWS's salt of the hash's length, so its PSS signatures verify in JCA only with that salt (this test checks
     * both), and a PSS signature made by real KMS would not verify in moto. Everything else is as in KMS and is
     * checked as in the suite:
     * every algorithm of every spec (RSA_4096 and ECC_NIST_P384 included), RAW signatures verifying in kms4j and in
     * plain JCA with GetPublicKey's key, metadata and signing algorithms. (moto's GetPublicKey answers the short
     * key id and no KeySpec, only CustomerMasterKeySpec; the provider resolves the ARN and reads either spec
     * field, so those differences do not show.)
     */
    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384"})
    @Override
    public void sign_everyAlgorithmOfEveryAsymmetricSpec_verifiesInKmsAndInPlainJca(KeySpec spec)
            throws GeneralSecurityException {
        KeyMetadata created = kms.createKey(new CreateKeyRequest("moto " + spec, KeyUsage.SIGN_VERIFY, spec));
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
            if (algorithm.family() == SigningAlgorithm.Family.RSA_PSS) {
                assertFalse(jcaVerifies(publicKey, algorithm, message, raw.signature()), algorithm + ": moto's salt");
                assertTrue(jcaVerifiesWithLongestSalt(publicKey, algorithm, message, raw.signature()), algorithm.name());
            } else {
                assertTrue(jcaVerifies(publicKey, algorithm, message, raw.signature()), algorithm + " in plain JCA");
            }
            verify(created.keyId(), message, MessageType.RAW, raw.signature(), algorithm);
            if (algorithm.family() == SigningAlgorithm.Family.RSA_PSS) {
                continue; // moto's PSS salt is checked above; its DIGEST handling below, with the other families
            }

            byte[] digest = MessageDigest.getInstance(algorithm.digestAlgorithm()).digest(message);
            byte[] overDigest = sign(created.keyId(), digest, MessageType.DIGEST, algorithm).signature();
            assertFalse(jcaVerifies(publicKey, algorithm, message, overDigest), algorithm + ": moto hashes a DIGEST");
            assertTrue(jcaVerifies(publicKey, algorithm, digest, overDigest), algorithm + ": moto signs hash(digest)");
            assertThrows(KmsInvalidSignatureException.class,
                    () -> verify(created.keyId(), digest, MessageType.DIGEST, raw.signature(), algorithm));
        }
    }

    /**
     * moto does not enforce key state for signing keys either: a disabled or pending-deletion key still signs and
     * verifies, and GetPublicKey answers (real KMS: {@code DisabledException}, {@code KMSInvalidStateException}).
     */
    @Test
    @Override
    public void signVerifyAndGetPublicKey_disabledOrPendingDeletionKey_refused() {
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        byte[] message = random(20);
        kms.disableKey(keyId);
        assertEquals(KeyState.DISABLED, kms.describeKey(keyId).keyState());
        byte[] signature = sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256).signature();
        verify(keyId, message, MessageType.RAW, signature, SigningAlgorithm.ECDSA_SHA_256);
        assertEquals(KeySpec.ECC_NIST_P256, kms.getPublicKey(keyId).keySpec());
        kms.enableKey(keyId);
        kms.scheduleKeyDeletion(keyId, 7);
        assertEquals(KeyState.PENDING_DELETION, kms.describeKey(keyId).keyState());
        sign(keyId, message, MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256);
        assertEquals(KeySpec.ECC_NIST_P256, kms.getPublicKey(keyId).keySpec());
    }

    /**
     * moto answers a signing key used with the wrong algorithm, or an encryption key used to sign, with
     * {@code ValidationException} ("Member must satisfy enum value set" / "Member must point to a key with usage:
     * 'SIGN_VERIFY'"); real KMS answers {@code InvalidKeyUsageException}. Every case is still refused.
     */
    @Test
    @Override
    public void signAndVerify_encryptionKeyOrAlgorithmOfAnotherSpec_invalidKeyUsage() {
        String symmetric = newKey();
        assertThrows(ValidationException.class,
                () -> sign(symmetric, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
        String ec = newSigningKey(KeySpec.ECC_NIST_P256);
        assertThrows(ValidationException.class,
                () -> sign(ec, random(8), MessageType.RAW, SigningAlgorithm.RSASSA_PSS_SHA_256));
        assertThrows(ValidationException.class,
                () -> sign(ec, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_384));
        assertThrows(ValidationException.class,
                () -> verify(ec, random(8), MessageType.RAW, random(64), SigningAlgorithm.RSASSA_PSS_SHA_256));
        String rsa = newSigningKey(KeySpec.RSA_2048);
        assertThrows(ValidationException.class,
                () -> sign(rsa, random(8), MessageType.RAW, SigningAlgorithm.ECDSA_SHA_256));
    }

    /**
     * moto encrypts and makes data keys under a SIGN_VERIFY key (with its own AES-GCM format; real KMS:
     * {@code InvalidKeyUsageException}).
     */
    @Test
    @Override
    public void encryptAndDataKeys_signingKey_invalidKeyUsage() {
        String signing = newSigningKey(KeySpec.ECC_NIST_P256);
        assertEquals(16, decrypt(kms.encrypt(signing, random(16)).ciphertextBlob(), Map.of()).length);
        kms.generateDataKey(signing, DataKeySpec.AES_256).close();
    }

    /** moto rotates an asymmetric key on demand (real KMS: {@code UnsupportedOperationException}). */
    @Test
    @Override
    public void rotateKeyOnDemand_signingKey_unsupportedOperation() {
        String keyId = newSigningKey(KeySpec.ECC_NIST_P256);
        assertEquals(2, kms.rotateKeyOnDemand(keyId).keyVersion(), "moto rotates the signing key");
    }
}
