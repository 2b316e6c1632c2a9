package io.kms4j.cli;

import io.kms4j.Kms;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every KMS subcommand takes, shaped like the AWS CLI's: the backend, output format and query.
 *
 * <p>The default backend is the embedded local provider with its keystore at {@code $KMS4J_HOME/keystore.k4j}
 * ({@code KMS4J_HOME} defaults to {@code ~/.kms4j}); its passphrase comes from {@code KMS4J_PASSPHRASE} or a
 * prompt on the terminal. Every call is audited to {@code $KMS4J_HOME/audit.jsonl}, whatever the backend.
 */
final class GlobalOptions {
    @Option(names = "--backend", paramLabel = "URI",
            description = "The kms4j backend: local:PATH (default: the keystore in $KMS4J_HOME), local:memory, "
                    + "pkcs11:token=LABEL?module-path=..., aws-kms:REGION. Also from KMS4J_BACKEND.")
    String backend;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint for the aws-kms backend, as in the AWS CLI.")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "Region for the aws-kms backend, as in the AWS CLI.")
    String region;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: json (default) or text, as in the AWS CLI.")
    String output;

    @Option(names = "--query", paramLabel = "EXPRESSION",
            description = "Select part of the output, a JMESPath subset: Name, A.B, List[0], List[*].Name.")
    String query;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    /** Opens the backend, auditing to the log in the kms4j home. */
    Kms openKms() {
        Map<String, String> options = new LinkedHashMap<>();
        if (endpointUrl != null) {
            options.put("endpoint-url", endpointUrl);
        }
        if (region != null) {
            options.put("region", region);
        }
        return BackendOpener.open(backend, options, null, true);
    }
}
