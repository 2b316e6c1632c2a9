package io.kms4j.cli;

import io.kms4j.EncryptionContext;
import io.kms4j.Kms;
import io.kms4j.envelope.EnvelopeDecryptor;
import io.kms4j.envelope.EnvelopeEncryptor;
import io.kms4j.internal.Params;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Secrets in environment variables, sealed at rest: {@code env encrypt} seals a {@code .env} file with envelope
 * encryption; {@code exec --env-file FILE -- COMMAND} decrypts it into the child process's environment only. The
 * decrypted variables never touch the disk and never reach kms4j's own environment, output or audit trail.
 *
 * <p>The sealed file is an envelope message bound to the encryption context {@code kms4j-purpose=env}, so an
 * ordinary encrypted file cannot be passed off as an environment file, or the other way round.
 */
final class EnvCommands {
    /** The encryption context every sealed environment file is bound to. */
    static final Map<String, String> CONTEXT = Map.of("kms4j-purpose", "env");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvCommands() {
    }

    @Command(name = "env", mixinStandardHelpOptions = true, description = "Seal .env files with a KMS key.",
            subcommands = {Encrypt.class})
    static final class Env implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Seal a .env file (NAME=value lines) under a key; the sealed file is safe to commit.")
    static final class Encrypt extends KmsSubcommand {
        @Option(names = "--key-id", required = true, description = "The key that wraps the data key.")
        String keyId;

        @Parameters(index = "0", paramLabel = "ENV_FILE", description = "The .env file to seal.")
        Path envFile;

        @Option(names = "--out", paramLabel = "FILE", description = "The sealed file (default: ENV_FILE.k4j).")
        Path out;

        @Option(names = "--overwrite", description = "Replace the sealed file if it exists.")
        boolean overwrite;

        @Override
        Object run(Kms kms) throws IOException {
            byte[] plaintext = Files.readAllBytes(envFile);
            try {
                Map<String, String> variables = parse(plaintext); // refuse to seal what exec could not read
                Path target = out != null ? out : envFile.resolveSibling(envFile.getFileName() + ".k4j");
                byte[] sealed = EnvelopeEncryptor.builder().wrappingKey(kms, keyId).build()
                        .encrypt(plaintext, EncryptionContext.of(CONTEXT));
                try (SafeOutput output = SafeOutput.create(target, overwrite)) {
                    output.stream().write(sealed);
                    output.commit();
                }
                return Params.of("OutputFile", target.toString(), "Variables", List.copyOf(variables.keySet()),
                        "KeyId", keyId);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run COMMAND with the variables of a sealed .env file added to its environment only.")
    static final class Exec extends KmsSubcommand {
        @Option(names = "--env-file", required = true, paramLabel = "FILE", description = "A file sealed by env encrypt.")
        Path envFile;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
        List<String> command;

        private int childExit;

        @Override
        Object run(Kms kms) throws Exception {
            byte[] plaintext = EnvelopeDecryptor.builder().discovery(kms).build()
                    .decrypt(Files.readAllBytes(envFile), EncryptionContext.of(CONTEXT));
            Map<String, String> variables;
            try {
                variables = parse(plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            pb.environment().putAll(variables);
            Process child;
            try {
                child = pb.start();
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
            }
            childExit = child.waitFor();
            return null;
        }

        @Override
        int exitCode() {
            return childExit;
        }
    }

    /**
     * Reads {@code NAME=value} lines: blank lines and {@code #} comments are skipped, an {@code export } prefix
     * is allowed, and a value in single or double quotes is taken literally between them.
     *
     * @throws CliException for a line that is not a variable assignment (the message names the line number,
     *     never its value)
     */
    static Map<String, String> parse(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCodes.VALIDATION, "the environment file is not UTF-8 text");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String name = eq > 0 ? line.substring(0, eq).strip() : "";
            if (!NAME.matcher(name).matches()) {
                throw new CliException(ExitCodes.VALIDATION, "line " + (i + 1)
                        + " of the environment file is not NAME=value");
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            variables.put(name, value);
        }
        return variables;
    }
}
