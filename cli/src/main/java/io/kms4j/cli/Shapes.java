package io.kms4j.cli;

import io.kms4j.AliasListEntry;
import io.kms4j.KeyListEntry;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kms4j results in the AWS CLI's JSON shapes (field names and nesting as {@code aws kms} prints them). */
final class Shapes {
    private Shapes() {
    }

    static Map<String, Object> keyMetadata(KeyMetadata m) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("KeyId", m.keyId());
        k.put("Arn", m.arn());
        k.put("CreationDate", m.creationDate().toString());
        k.put("Enabled", m.enabled());
        k.put("Description", m.description());
        k.put("KeyUsage", m.keyUsage().name());
        k.put("KeyState", m.keyState().awsName());
        if (m.deletionDate() != null) {
            k.put("DeletionDate", m.deletionDate().toString());
        }
        k.put("KeyManager", "CUSTOMER");
        k.put("CustomerMasterKeySpec", m.keySpec().name());
        k.put("KeySpec", m.keySpec().name());
        if (m.keySpec().isSymmetric()) {
            k.put("EncryptionAlgorithms", List.of("SYMMETRIC_DEFAULT"));
        }
        if (!m.signingAlgorithms().isEmpty()) {
            List<String> algorithms = new ArrayList<>();
            m.signingAlgorithms().forEach(a -> algorithms.add(a.name()));
            k.put("SigningAlgorithms", algorithms);
        }
        return Map.of("KeyMetadata", k);
    }

    static Map<String, Object> keys(List<KeyListEntry> keys) {
        List<Object> list = new ArrayList<>();
        for (KeyListEntry e : keys) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("KeyId", e.keyId());
            m.put("KeyArn", e.keyArn());
            list.add(m);
        }
        return Map.of("Keys", list);
    }

    static Map<String, Object> aliases(List<AliasListEntry> aliases) {
        List<Object> list = new ArrayList<>();
        for (AliasListEntry e : aliases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AliasName", e.aliasName());
            m.put("AliasArn", e.aliasArn());
            m.put("TargetKeyId", e.targetKeyId());
            list.add(m);
        }
        return Map.of("Aliases", list);
    }

    static Map<String, Object> rotations(List<KeyRotation> rotations) {
        List<Object> list = new ArrayList<>();
        for (KeyRotation r : rotations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("KeyId", r.keyId());
            m.put("RotationDate", r.rotationDate().toString());
            m.put("RotationType", r.rotationType().name());
            list.add(m);
        }
        return Map.of("Rotations", list);
    }
}
