package io.kms4j.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AWS providers pointed at an endpoint under test, with fixed test credentials and no retries. */
final class AwsTestClients {
    static final String ACCESS_KEY_ID = "AKIDKMS4JTEST";
    static final String SECRET = "kms4j-test-secret";

    private AwsTestClients() {
    }

    static AwsKmsProvider provider(URI endpoint) {
        return AwsKmsProvider.builder()
                .region("us-east-1")
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
                .maxAttempts(1)
                .build();
    }
}
