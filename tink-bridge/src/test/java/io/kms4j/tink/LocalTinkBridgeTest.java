package io.kms4j.tink;

import io.kms4j.Kms;
import io.kms4j.audit.AuditSink;
import io.kms4j.local.LocalKmsProvider;

/** The Tink bridge contract over the local provider, keys in memory. */
class LocalTinkBridgeTest extends TinkBridgeContractTests {
    @Override
    protected Kms newKms(AuditSink auditSink) {
        return Kms.builder().provider(LocalKmsProvider.inMemory()).auditSink(auditSink).build();
    }
}
