package io.kms4j.cli;

import io.kms4j.DataKey;
import io.kms4j.DataKeySpec;
import io.kms4j.DecryptRequest;
import io.kms4j.DecryptResult;
import io.kms4j.EncryptResult;
import io.kms4j.GenerateDataKeyRequest;
import io.kms4j.Kms;
import io.kms4j.ReEncryptRequest;
import io.kms4j.ReEncryptResult;
import java.util.Arrays;
import java.util.Base64;
import io.kms4j.internal.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cryptographic subcommands, named and shaped as {@code aws kms}'s. Blobs print as base64 in JSON, so
 * {@code --query CiphertextBlob --output text | base64 --decode > file} stores the raw ciphertext, and
 * {@code --ciphertext-blob fileb://file} reads it back.
 */
final class CryptoCommands {
    private CryptoCommands() {
    }

    /** All of them, for registration. */
    static final Class<?>[] ALL = {Encrypt.class, Decrypt.class, ReEncrypt.class, GenerateDataKey.class,
        GenerateDataKeyWithoutPlaintext.class, GenerateRandom.class};

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Encrypt up to 4096 bytes under a key. For files, use encrypt-file.")
    static final class Encrypt extends KmsSubcommand {
        @Option(names = "--key-id", required = true, description = "Key id, alias name or full key identifier.")
        String keyId;

        @Option(names = "--plaintext", required = true, paramLabel = "TEXT|fileb://PATH",
                description = "The plaintext: text as given, or fileb://PATH for a file's bytes.")
        String plaintext;

        @Option(names = "--encryption-context", paramLabel = "k=v,...", description = "k=v,k2=v2 or a JSON object.")
        String context;

        @Override
        Object run(Kms kms) {
            byte[] bytes = Args.plaintext(plaintext);
            try {
                EncryptResult r = kms.encrypt(keyId, bytes, Args.context(context));
                return Params.of("CiphertextBlob", base64(r.ciphertextBlob()), "KeyId", r.keyId(),
                        "EncryptionAlgorithm", r.encryptionAlgorithm().name());
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Decrypt a ciphertext blob; no key id needed, the blob names its key.")
    static final class Decrypt extends KmsSubcommand {
        @Option(names = "--ciphertext-blob", required = true, paramLabel = "fileb://PATH|BASE64",
                description = "The ciphertext: fileb://PATH for raw bytes, or base64.")
        String blob;

        @Option(names = "--encryption-context", paramLabel = "k=v,...", description = "Exactly the context used to encrypt.")
        String context;

        @Option(names = "--key-id", description = "The key the ciphertext must have been made under (optional).")
        String keyId;

        @Override
        Object run(Kms kms) {
            DecryptRequest request = DecryptRequest.builder().ciphertextBlob(Args.blob("--ciphertext-blob", blob))
                    .encryptionContext(Args.context(context)).keyId(keyId).build();
            try (DecryptResult r = kms.decrypt(request)) {
                byte[] plaintext = r.plaintext();
                try {
                    return Params.of("KeyId", r.keyId(), "Plaintext", base64(plaintext),
                            "EncryptionAlgorithm", r.encryptionAlgorithm().name());
                } finally {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        }
    }

    @Command(name = "re-encrypt", mixinStandardHelpOptions = true,
            description = "Decrypt and encrypt under another key or context, inside the backend.")
    static final class ReEncrypt extends KmsSubcommand {
        @Option(names = "--ciphertext-blob", required = true, paramLabel = "fileb://PATH|BASE64")
        String blob;

        @Option(names = "--destination-key-id", required = true)
        String destinationKeyId;

        @Option(names = "--source-encryption-context", paramLabel = "k=v,...")
        String sourceContext;

        @Option(names = "--destination-encryption-context", paramLabel = "k=v,...")
        String destinationContext;

        @Option(names = "--source-key-id", description = "The key the ciphertext must have been made under (optional).")
        String sourceKeyId;

        @Override
        Object run(Kms kms) {
            ReEncryptResult r = kms.reEncrypt(ReEncryptRequest.builder()
                    .ciphertextBlob(Args.blob("--ciphertext-blob", blob))
                    .sourceEncryptionContext(Args.context(sourceContext)).sourceKeyId(sourceKeyId)
                    .destinationKeyId(destinationKeyId)
                    .destinationEncryptionContext(Args.context(destinationContext)).build());
            return Params.of("CiphertextBlob", base64(r.ciphertextBlob()), "SourceKeyId", r.sourceKeyId(),
                    "KeyId", r.keyId(), "SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT",
                    "DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        }
    }

    /** The options the two data-key commands share. */
    abstract static class DataKeyCommand extends KmsSubcommand {
        @Option(names = "--key-id", required = true)
        String keyId;

        @Option(names = "--key-spec", description = "AES_256 or AES_128 (default AES_256 when no byte count).")
        DataKeySpec keySpec;

        @Option(names = "--number-of-bytes", description = "1 to 1024, instead of --key-spec.")
        Integer numberOfBytes;

        @Option(names = "--encryption-context", paramLabel = "k=v,...")
        String context;

        GenerateDataKeyRequest request() {
            GenerateDataKeyRequest.Builder b = GenerateDataKeyRequest.builder().keyId(keyId).keySpec(keySpec)
                    .encryptionContext(Args.context(context));
            if (numberOfBytes != null) {
                b.numberOfBytes(numberOfBytes);
            }
            return b.build();
        }
    }

    @Command(name = "generate-data-key", mixinStandardHelpOptions = true,
            description = "A data key for local encryption: in plaintext and encrypted under the key.")
    static final class GenerateDataKey extends DataKeyCommand {
        @Override
        Object run(Kms kms) {
            try (DataKey dataKey = kms.generateDataKey(request())) {
                byte[] plaintext = dataKey.plaintext();
                try {
                    return Params.of("CiphertextBlob", base64(dataKey.ciphertextBlob()), "Plaintext", base64(plaintext),
                            "KeyId", dataKey.keyId());
                } finally {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        }
    }

    @Command(name = "generate-data-key-without-plaintext", mixinStandardHelpOptions = true,
            description = "A data key, only encrypted under the key.")
    static final class GenerateDataKeyWithoutPlaintext extends DataKeyCommand {
        @Override
        Object run(Kms kms) {
            EncryptResult r = kms.generateDataKeyWithoutPlaintext(request());
            return Params.of("CiphertextBlob", base64(r.ciphertextBlob()), "KeyId", r.keyId());
        }
    }

    @Command(name = "generate-random", mixinStandardHelpOptions = true, description = "Random bytes from the backend.")
    static final class GenerateRandom extends KmsSubcommand {
        @Option(names = "--number-of-bytes", required = true, description = "1 to 1024.")
        int numberOfBytes;

        @Override
        Object run(Kms kms) {
            return Params.of("Plaintext", base64(kms.generateRandom(numberOfBytes)));
        }
    }
}
