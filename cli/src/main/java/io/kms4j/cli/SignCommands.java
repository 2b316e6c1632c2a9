package io.kms4j.cli;

import io.kms4j.Kms;
import io.kms4j.MessageType;
import io.kms4j.PublicKeyResult;
import io.kms4j.SignRequest;
import io.kms4j.SignResult;
import io.kms4j.SigningAlgorithm;
import io.kms4j.VerifyResult;
import io.kms4j.internal.Params;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The signature subcommands, named and shaped as {@code aws kms sign}, {@code verify} and {@code get-public-key}:
 * the same options and the same JSON field names, blobs printed as base64. An invalid signature is an error, as in
 * AWS: one line on stderr ({@code kms4j: KMSInvalidSignatureException: …}) and exit code
 * {@link ExitCodes#INVALID_SIGNATURE}, so {@code kms4j verify … && deploy} cannot go on with a forged file.
 */
final class SignCommands {
    private SignCommands() {
    }

    /** All of them, for registration. */
    static final Class<?>[] ALL = {Sign.class, Verify.class, GetPublicKey.class};

    /** The options Sign and Verify share. */
    abstract static class SignatureCommand extends KmsSubcommand {
        @Option(names = "--key-id", required = true, paramLabel = "KEY",
                description = "A SIGN_VERIFY key: key id, alias name or full key identifier.")
        String keyId;

        @Option(names = "--message", required = true, paramLabel = "TEXT|fileb://PATH",
                description = "The message (1 to 4096 bytes), or its digest with --message-type DIGEST: text as "
                        + "given, or fileb://PATH for a file's bytes.")
        String message;

        @Option(names = "--message-type", paramLabel = "RAW|DIGEST", defaultValue = "RAW",
                description = "RAW (default): the message itself; DIGEST: its hash, made with the algorithm's digest.")
        MessageType messageType;

        @Option(names = "--signing-algorithm", required = true, paramLabel = "ALGORITHM",
                description = "One of the key's algorithms: ${COMPLETION-CANDIDATES}.")
        SigningAlgorithm signingAlgorithm;

        SignRequest.Builder request() {
            return SignRequest.builder().keyId(keyId).message(Args.plaintext(message)).messageType(messageType)
                    .signingAlgorithm(signingAlgorithm);
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a message or digest with an asymmetric key; the private key stays in the backend.")
    static final class Sign extends SignatureCommand {
        @Override
        Object run(Kms kms) {
            SignResult r = kms.sign(request().build());
            return Params.of("KeyId", r.keyId(), "Signature", Base64.getEncoder().encodeToString(r.signature()),
                    "SigningAlgorithm", r.signingAlgorithm().name());
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a signature in the backend. An invalid signature exits with code 11.")
    static final class Verify extends SignatureCommand {
        @Option(names = "--signature", required = true, paramLabel = "fileb://PATH|BASE64",
                description = "The signature: fileb://PATH for raw bytes, or base64.")
        String signature;

        @Override
        Object run(Kms kms) {
            VerifyResult r = kms.verify(request().signature(Args.blob("--signature", signature)).build());
            return Params.of("KeyId", r.keyId(), "SignatureValid", r.signatureValid(),
                    "SigningAlgorithm", r.signingAlgorithm().name());
        }
    }

    @Command(name = "get-public-key", mixinStandardHelpOptions = true,
            description = "The public key of an asymmetric key (base64 DER SubjectPublicKeyInfo), to verify "
                    + "signatures outside kms4j.")
    static final class GetPublicKey extends KeyCommands.OnKey {
        @Override
        Object run(Kms kms) {
            PublicKeyResult r = kms.getPublicKey(keyId);
            List<String> algorithms = new ArrayList<>();
            for (SigningAlgorithm a : r.signingAlgorithms()) {
                algorithms.add(a.name());
            }
            return Params.of("KeyId", r.keyId(), "PublicKey", Base64.getEncoder().encodeToString(r.publicKey()),
                    "CustomerMasterKeySpec", r.keySpec().name(), "KeySpec", r.keySpec().name(),
                    "KeyUsage", r.keyUsage().name(), "SigningAlgorithms", algorithms);
        }
    }
}
