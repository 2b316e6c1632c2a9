package io.kms4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * encrypt-file, decrypt-file, env encrypt and exec, run through the real ./kms4j launcher: files of any size,
 * outputs that appear only when complete, and secrets that reach only the child process.
 */
class FileAndEnvCommandsIT {
    @TempDir
    Path home;

    private Launcher cli;
    private String key;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Launcher(home, "file passphrase");
        Launcher.Run created = cli.kms4j("create-key", "--query", "KeyMetadata.KeyId", "--output", "text");
        assertEquals(0, created.exitCode(), created::toString);
        key = created.out().trim();
    }

    private Launcher.Run ok(String... args) throws Exception {
        Launcher.Run run = cli.kms4j(args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
        return run;
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    @Test
    void encryptFileDecryptFile_multiMegabyteFile_roundTripsIntoOwnerOnlyFiles() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);
        Path plain = Files.write(home.resolve("report.bin"), data);
        Path sealed = home.resolve("report.bin.k4e");
        Path back = home.resolve("report.out");
        Launcher.Run encrypted = ok("encrypt-file", plain.toString(), sealed.toString(), "--key-id", key,
                "--encryption-context", "file=report");
        assertTrue(encrypted.out().contains("\"PlaintextBytes\": " + data.length), encrypted::toString);
        assertFalse(encrypted.err().contains("%"), "no progress bar when stderr is not a terminal");
        ok("decrypt-file", sealed.toString(), back.toString(), "--encryption-context", "file=report");
        assertArrayEquals(data, Files.readAllBytes(back));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed)));

        Launcher.Run exists = cli.kms4j("decrypt-file", sealed.toString(), back.toString(), "--encryption-context",
                "file=report");
        assertEquals(ExitCodes.IO, exists.exitCode(), "an existing output is not replaced without --overwrite");
        ok("decrypt-file", sealed.toString(), back.toString(), "--encryption-context", "file=report", "--overwrite");
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void decryptFile_truncatedOrWrongContext_failsAndLeavesNothing() throws Exception {
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        Path plain = Files.write(home.resolve("data.bin"), data);
        Path sealed = home.resolve("data.k4e");
        ok("encrypt-file", plain.toString(), sealed.toString(), "--key-id", key);
        byte[] message = Files.readAllBytes(sealed);
        Path truncated = Files.write(home.resolve("truncated.k4e"), java.util.Arrays.copyOf(message, message.length - 40));
        Path out = home.resolve("never.bin");

        Launcher.Run cut = cli.kms4j("decrypt-file", truncated.toString(), out.toString());
        assertEquals(ExitCodes.INVALID_CIPHERTEXT, cut.exitCode(), cut::toString);
        Launcher.Run wrongContext = cli.kms4j("decrypt-file", sealed.toString(), out.toString(),
                "--encryption-context", "not=the-same");
        assertEquals(ExitCodes.INVALID_CIPHERTEXT, wrongContext.exitCode(), wrongContext::toString);
        assertFalse(Files.exists(out), "no partial plaintext file");
        assertTrue(leftovers().isEmpty(), "no temporary file either");
    }

    /**
     * Decrypt-file reading from a pipe that stalls halfway is stopped with SIGTERM, as Ctrl-C or a service
     * manager would: the plaintext already written to the temporary file is removed and no output appears.
     */
    @Test
    void decryptFile_interruptedMidStream_leavesNoPartialPlaintext() throws Exception {
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(3).nextBytes(data);
        Path plain = Files.write(home.resolve("big.bin"), data);
        Path sealed = home.resolve("big.k4e");
        ok("encrypt-file", plain.toString(), sealed.toString(), "--key-id", key);
        byte[] message = Files.readAllBytes(sealed);

        Path fifo = home.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path out = home.resolve("interrupted.bin");
        Process decrypting = cli.start("decrypt-file", fifo.toString(), out.toString());
        try (OutputStream pipe = Files.newOutputStream(fifo)) {
            pipe.write(message, 0, message.length / 2);
            pipe.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && leftovers().stream().noneMatch(FileAndEnvCommandsIT::nonEmpty)) {
                Thread.sleep(20);
            }
            assertFalse(leftovers().isEmpty(), "plaintext was being written to a temporary file");
            decrypting.destroy(); // SIGTERM
            assertTrue(decrypting.waitFor(60, TimeUnit.SECONDS));
        } catch (java.io.IOException brokenPipe) {
            // the reader went away first: also an interruption
        }
        decrypting.waitFor(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(out), "no output file");
        assertTrue(leftovers().isEmpty(), "the partial plaintext was removed: " + leftovers());
    }

    private static boolean nonEmpty(Path p) {
        try {
            return Files.size(p) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void envEncryptThenExec_secretsReachOnlyTheChild() throws Exception {
        Path env = Files.writeString(home.resolve(".env"), "# service secrets\nAPI_TOKEN=\"s3cr3t value\"\n"
                + "export DB_PASS=p@ss\n\nEMPTY=\n");
        Launcher.Run sealed = ok("env", "encrypt", env.toString(), "--key-id", key);
        Path sealedFile = home.resolve(".env.k4j");
        assertTrue(sealed.out().contains("API_TOKEN") && !sealed.out().contains("s3cr3t"), sealed::toString);
        assertFalse(new String(Files.readAllBytes(sealedFile), StandardCharsets.ISO_8859_1).contains("s3cr3t"));

        Launcher.Run child = ok("exec", "--env-file", sealedFile.toString(), "--", "bash", "-c",
                "printf '%s|%s|%s' \"$API_TOKEN\" \"$DB_PASS\" \"${EMPTY-unset}\"");
        assertEquals("s3cr3t value|p@ss|", child.out());
        Launcher.Run exit = cli.kms4j("exec", "--env-file", sealedFile.toString(), "--", "bash", "-c", "exit 7");
        assertEquals(7, exit.exitCode(), "the child's exit code is passed on");
        assertFalse(Files.readString(home.resolve("audit.jsonl")).contains("s3cr3t"), "never in the audit trail");

        Path notAnEnvFile = home.resolve("other.k4e");
        ok("encrypt-file", env.toString(), notAnEnvFile.toString(), "--key-id", key);
        Launcher.Run refused = cli.kms4j("exec", "--env-file", notAnEnvFile.toString(), "--", "true");
        assertEquals(ExitCodes.INVALID_CIPHERTEXT, refused.exitCode(), "an ordinary encrypted file is not an env file");

        Path bad = Files.writeString(home.resolve("bad.env"), "OK=1\nthis line has no equals sign\n");
        Launcher.Run invalid = cli.kms4j("env", "encrypt", bad.toString(), "--key-id", key);
        assertEquals(ExitCodes.VALIDATION, invalid.exitCode());
        assertTrue(invalid.err().contains("line 2"), invalid::toString);
    }
}
