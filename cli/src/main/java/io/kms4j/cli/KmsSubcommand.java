package io.kms4j.cli;

import io.kms4j.Kms;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that opens the backend, runs one operation and prints its AWS-shaped result (or nothing, for
 * operations AWS answers with an empty body).
 */
abstract class KmsSubcommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        Object result;
        try (Kms kms = global.openKms()) {
            result = run(kms);
        }
        if (result != null) {
            Output.print(spec.commandLine().getOut(), result, global.query, global.output);
        }
        return exitCode();
    }

    /** The exit code after a successful {@link #run}; {@code exec} passes on its child's. */
    int exitCode() {
        return ExitCodes.OK;
    }

    /** Runs the operation; returns the AWS-shaped output, or null for none. */
    abstract Object run(Kms kms) throws Exception;
}
