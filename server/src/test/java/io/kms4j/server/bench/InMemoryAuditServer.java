package io.kms4j.server.bench;

import io.kms4j.Kms;
import io.kms4j.audit.InMemoryAuditSink;
import io.kms4j.local.LocalKmsProvider;
import io.kms4j.server.KmsHttpServer;

/**
 * The kms4j server over the in-memory local provider, auditing to memory: {@code server/bench/run.sh} runs it
 * beside {@code ./kms4j server} to separate the cost of the server itself from the cost of the durable audit
 * log. Prints {@code PORT <n>} when it listens; runs until killed. Not a test: a tool.
 */
public final class InMemoryAuditServer {
    private InMemoryAuditServer() {
    }

    public static void main(String[] args) throws Exception {
        Kms kms = Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(new InMemoryAuditSink()).build();
        KmsHttpServer server = KmsHttpServer.builder(kms).port(Integer.parseInt(args[0])).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            kms.close();
        }));
        System.out.println("PORT " + server.port());
        server.join();
    }
}
