package io.kms4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./kms4j} launcher (or a bash pipeline using it) as a separate process, the way a user
 * does, in a private {@code KMS4J_HOME}.
 */
final class Launcher {
    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path root = Path.of(System.getProperty("kms4j.root", "..")).toAbsolutePath().normalize();
    private final Path home;
    private final Map<String, String> env;

    Launcher(Path home, String passphrase) {
        this.home = home;
        // A cheap Argon2id setting keeps each process start fast; the default is tested by `kms4j demo`.
        this.env = Map.of("KMS4J_HOME", home.toString(), "KMS4J_PASSPHRASE", passphrase,
                "KMS4J_BACKEND", "local:" + home.resolve("keystore.k4j") + "?kdf-memory-kib=1024&kdf-iterations=1");
    }

    Path home() {
        return home;
    }

    /** {@code ./kms4j args...} */
    Run kms4j(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("kms4j").toString());
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    /** {@code bash -c script} in the repository root, where the script may call ./kms4j. */
    Run bash(String script) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", "set -o pipefail; " + script), Map.of());
    }

    /** {@code ./kms4j args...} with extra environment. */
    Run kms4jWith(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("kms4j").toString());
        command.addAll(List.of(args));
        return run(command, extraEnv);
    }

    /** Starts {@code ./kms4j args...} without waiting, output discarded: for tests that interrupt it. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("kms4j").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().putAll(env);
        return pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private Run run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.environment().remove("KMS4J_DEBUG");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
