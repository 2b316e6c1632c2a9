package io.kms4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kms4j} command: AWS-KMS-shaped subcommands on any kms4j backend, offline by default on the
 * embedded local provider. Run through the {@code ./kms4j} launcher at the repository root.
 *
 * <p>Exit codes are listed in {@code docs/CLI.md} and in {@link ExitCodes}.
 */
@Command(name = "kms4j", mixinStandardHelpOptions = true, versionProvider = Kms4jCommand.Version.class,
        description = "Key management on AWS KMS, PKCS#11 HSMs or the dev-only local provider.",
        subcommands = {DemoCommand.class, AuditCommand.class, EnvCommands.Env.class, EnvCommands.Exec.class,
            ServerCommand.class, CommandLine.HelpCommand.class})
public final class Kms4jCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // kms4j's own notices (the local provider's dev-only warning) as one short line, unless configured.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "kms4j: %4$s: %5$s%6$s%n");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Kms4jCommand());
        for (Class<?> command : KeyCommands.ALL) {
            cli.addSubcommand(command);
        }
        for (Class<?> command : CryptoCommands.ALL) {
            cli.addSubcommand(command);
        }
        for (Class<?> command : SignCommands.ALL) {
            cli.addSubcommand(command);
        }
        for (Class<?> command : FileCommands.ALL) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler.Usage());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Kms4jCommand.class.getPackage().getImplementationVersion();
            return new String[] {"kms4j " + (v == null ? "dev" : v) + " (java " + System.getProperty("java.version")
                    + ")"};
        }
    }
}
