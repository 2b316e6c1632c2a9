package io.kms4j.cli;

import io.kms4j.KmsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and a distinct exit code; the stack trace only with
 * {@code --debug} (or {@code KMS4J_DEBUG=1}).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        int code;
        String message;
        if (e instanceof KmsException) {
            KmsException k = (KmsException) e;
            code = ExitCodes.of(k.errorCode());
            message = k.awsErrorCode() + ": " + k.getMessage();
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            code = ExitCodes.IO;
            message = "I/O error: " + e.getMessage();
        } else if (e instanceof CliException) {
            code = ((CliException) e).exitCode();
            message = e.getMessage();
        } else {
            code = ExitCodes.INTERNAL;
            message = "internal error: " + e;
        }
        commandLine.getErr().println("kms4j: " + message);
        if (debug(parseResult)) {
            e.printStackTrace(commandLine.getErr());
        }
        return code;
    }

    private static boolean debug(CommandLine.ParseResult parseResult) {
        if ("1".equals(System.getenv("KMS4J_DEBUG"))) {
            return true;
        }
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Bad usage: the message and a hint, exit code {@link ExitCodes#USAGE}. */
    static final class Usage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine cli = e.getCommandLine();
            cli.getErr().println("kms4j: " + e.getMessage());
            cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        }
    }
}
