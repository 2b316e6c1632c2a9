package io.kms4j.cli;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import io.kms4j.internal.Params;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code encrypt-file} and {@code decrypt-file}: streaming envelope encryption of files of any size, in
 * constant memory. The output is written to a temporary file and renamed into place only on success, so a
 * failed or interrupted run never leaves a partial or plaintext file behind (see {@link SafeOutput}).
 */
final class FileCommands {
    private FileCommands() {
    }

    /** All of them, for registration. */
    static final Class<?>[] ALL = {EncryptFile.class, DecryptFile.class};

    /** Options the two commands share. */
    abstract static class FileCommand extends KmsSubcommand {
        @Parameters(index = "0", paramLabel = "IN", description = "The file to read.")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (atomically).")
        Path out;

        @Option(names = "--encryption-context", paramLabel = "k=v,...", description = "k=v,k2=v2 or a JSON object.")
        String context;

        @Option(names = "--overwrite", description = "Replace OUT if it exists.")
        boolean overwrite;

        @Option(names = "--progress", negatable = true,
                description = "Show a progress bar (default: only on a terminal).")
        Boolean progress;

        /** Streams IN through {@code transform} into OUT; OUT appears only if everything succeeded. */
        long stream(Transform transform, String label) throws Exception {
            long size = Files.size(in);
            long[] written = {0};
            try (InputStream source = Progress.wrap(Files.newInputStream(in), spec.commandLine().getErr(), size,
                    label, progress);
                 SafeOutput target = SafeOutput.create(out, overwrite)) {
                transform.run(source, target.stream(), written);
                target.commit();
            }
            return written[0];
        }
    }

    /** Copies a source through an envelope stream into a sink. */
    @FunctionalInterface
    interface Transform {
        void run(InputStream source, OutputStream sink, long[] written) throws Exception;
    }

    @Command(name = "encrypt-file", mixinStandardHelpOptions = true,
            description = "Encrypt a file of any size locally under a data key (envelope encryption).")
    static final class EncryptFile extends FileCommand {
        @Option(names = "--key-id", required = true,
                description = "The key that wraps the data key; repeat it to wrap under several keys, any of which "
                        + "can decrypt.")
        List<String> keyIds;

        @Override
        Object run(Kms kms) throws Exception {
            EnvelopeEncryptor.Builder builder = EnvelopeEncryptor.builder();
            for (String keyId : keyIds) {
                builder.wrappingKey(kms, keyId);
            }
            EnvelopeEncryptor encryptor = builder.build();
            EncryptionContext ctx = EncryptionContext.of(Args.context(context));
            long bytes = stream((source, sink, written) -> {
                try (OutputStream encrypting = encryptor.encryptingStream(sink, ctx)) {
                    written[0] = source.transferTo(encrypting);
                }
            }, "encrypting");
            return Params.of("InputFile", in.toString(), "OutputFile", out.toString(), "PlaintextBytes", bytes,
                    "KeyIds", keyIds);
        }
    }

    @Command(name = "decrypt-file", mixinStandardHelpOptions = true,
            description = "Decrypt a file made by encrypt-file; the message names its wrapping keys.")
    static final class DecryptFile extends FileCommand {
        @Override
        Object run(Kms kms) throws Exception {
            EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().discovery(kms).build();
            EncryptionContext ctx = EncryptionContext.of(Args.context(context));
            long bytes = stream((source, sink, written) -> {
                try (InputStream decrypting = decryptor.decryptingStream(source, ctx)) {
                    written[0] = decrypting.transferTo(sink);
                }
            }, "decrypting");
            return Params.of("InputFile", in.toString(), "OutputFile", out.toString(), "PlaintextBytes", bytes);
        }
    }
}
