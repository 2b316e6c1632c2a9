package io.kms4j.cli;

import io.kms4j.AliasListEntry;
import io.kms4j.CreateKeyRequest;
import io.kms4j.KeyMetadata;
import io.kms4j.KeyRotation;
import io.kms4j.KeyRotationStatus;
import io.kms4j.KeySpec;
import io.kms4j.KeyUsage;
import io.kms4j.Kms;
import io.kms4j.Page;
import java.util.ArrayList;
import java.util.List;
import io.kms4j.internal.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The key-management subcommands, named and shaped as {@code aws kms}'s. */
final class KeyCommands {
    private KeyCommands() {
    }

    /** All of them, for registration. */
    static final Class<?>[] ALL = {CreateKey.class, DescribeKey.class, ListKeys.class, CreateAlias.class,
        UpdateAlias.class, DeleteAlias.class, ListAliases.class, EnableKey.class, DisableKey.class,
        ScheduleKeyDeletion.class, CancelKeyDeletion.class, EnableKeyRotation.class, DisableKeyRotation.class,
        GetKeyRotationStatus.class, RotateKeyOnDemand.class, ListKeyRotations.class};

    /** A subcommand whose one required argument is a key. */
    abstract static class OnKey extends KmsSubcommand {
        @Option(names = "--key-id", required = true, paramLabel = "KEY",
                description = "Key id, alias name (alias/...) or full key identifier.")
        String keyId;
    }

    @Command(name = "create-key", mixinStandardHelpOptions = true, description = "Create a key (AES-256 by default).")
    static final class CreateKey extends KmsSubcommand {
        @Option(names = "--description", description = "A description (not secret: it is audited).")
        String description;

        @Option(names = "--key-usage", description = "ENCRYPT_DECRYPT (default) or SIGN_VERIFY.")
        KeyUsage keyUsage;

        @Option(names = "--key-spec", description = "SYMMETRIC_DEFAULT (default) or an asymmetric spec the backend supports.")
        KeySpec keySpec;

        @Override
        Object run(Kms kms) {
            return Shapes.keyMetadata(kms.createKey(new CreateKeyRequest(description, keyUsage, keySpec)));
        }
    }

    @Command(name = "describe-key", mixinStandardHelpOptions = true, description = "Show a key's metadata.")
    static final class DescribeKey extends OnKey {
        @Override
        Object run(Kms kms) {
            return Shapes.keyMetadata(kms.describeKey(keyId));
        }
    }

    @Command(name = "list-keys", mixinStandardHelpOptions = true, description = "List every key (all pages).")
    static final class ListKeys extends KmsSubcommand {
        @Override
        Object run(Kms kms) {
            return Shapes.keys(kms.listAllKeys());
        }
    }

    @Command(name = "create-alias", mixinStandardHelpOptions = true, description = "Give a key an alias.")
    static final class CreateAlias extends KmsSubcommand {
        @Option(names = "--alias-name", required = true, description = "alias/NAME")
        String aliasName;

        @Option(names = "--target-key-id", required = true, description = "The key the alias names.")
        String targetKeyId;

        @Override
        Object run(Kms kms) {
            kms.createAlias(aliasName, targetKeyId);
            return null;
        }
    }

    @Command(name = "update-alias", mixinStandardHelpOptions = true, description = "Point an alias at another key.")
    static final class UpdateAlias extends KmsSubcommand {
        @Option(names = "--alias-name", required = true, description = "alias/NAME")
        String aliasName;

        @Option(names = "--target-key-id", required = true, description = "The key the alias names from now on.")
        String targetKeyId;

        @Override
        Object run(Kms kms) {
            kms.updateAlias(aliasName, targetKeyId);
            return null;
        }
    }

    @Command(name = "delete-alias", mixinStandardHelpOptions = true, description = "Delete an alias (not its key).")
    static final class DeleteAlias extends KmsSubcommand {
        @Option(names = "--alias-name", required = true, description = "alias/NAME")
        String aliasName;

        @Override
        Object run(Kms kms) {
            kms.deleteAlias(aliasName);
            return null;
        }
    }

    @Command(name = "list-aliases", mixinStandardHelpOptions = true, description = "List aliases (all pages).")
    static final class ListAliases extends KmsSubcommand {
        @Option(names = "--key-id", description = "Only the aliases of this key.")
        String keyId;

        @Override
        Object run(Kms kms) {
            List<AliasListEntry> all = new ArrayList<>();
            String marker = null;
            do {
                Page<AliasListEntry> page = kms.listAliases(keyId, 1000, marker);
                all.addAll(page.items());
                marker = page.nextMarker();
            } while (marker != null);
            return Shapes.aliases(all);
        }
    }

    @Command(name = "enable-key", mixinStandardHelpOptions = true, description = "Enable a key.")
    static final class EnableKey extends OnKey {
        @Override
        Object run(Kms kms) {
            kms.enableKey(keyId);
            return null;
        }
    }

    @Command(name = "disable-key", mixinStandardHelpOptions = true, description = "Disable a key: it then refuses cryptography.")
    static final class DisableKey extends OnKey {
        @Override
        Object run(Kms kms) {
            kms.disableKey(keyId);
            return null;
        }
    }

    @Command(name = "schedule-key-deletion", mixinStandardHelpOptions = true,
            description = "Schedule a key's deletion after 7 to 30 days; unusable meanwhile.")
    static final class ScheduleKeyDeletion extends OnKey {
        @Option(names = "--pending-window-in-days", defaultValue = "30", description = "7 to 30 (default 30).")
        int days;

        @Override
        Object run(Kms kms) {
            KeyMetadata m = kms.scheduleKeyDeletion(keyId, days);
            return Params.of("KeyId", m.arn(), "DeletionDate", m.deletionDate().toString(),
                    "KeyState", m.keyState().awsName(), "PendingWindowInDays", days);
        }
    }

    @Command(name = "cancel-key-deletion", mixinStandardHelpOptions = true,
            description = "Cancel a scheduled deletion; the key stays disabled until enabled.")
    static final class CancelKeyDeletion extends OnKey {
        @Override
        Object run(Kms kms) {
            kms.cancelKeyDeletion(keyId);
            return Params.of("KeyId", kms.describeKey(keyId).arn());
        }
    }

    @Command(name = "enable-key-rotation", mixinStandardHelpOptions = true, description = "Turn on automatic rotation.")
    static final class EnableKeyRotation extends OnKey {
        @Option(names = "--rotation-period-in-days", defaultValue = "365", description = "90 to 2560 (default 365).")
        int days;

        @Override
        Object run(Kms kms) {
            kms.enableKeyRotation(keyId, days);
            return null;
        }
    }

    @Command(name = "disable-key-rotation", mixinStandardHelpOptions = true, description = "Turn off automatic rotation.")
    static final class DisableKeyRotation extends OnKey {
        @Override
        Object run(Kms kms) {
            kms.disableKeyRotation(keyId);
            return null;
        }
    }

    @Command(name = "get-key-rotation-status", mixinStandardHelpOptions = true, description = "Show automatic rotation.")
    static final class GetKeyRotationStatus extends OnKey {
        @Override
        Object run(Kms kms) {
            KeyRotationStatus s = kms.getKeyRotationStatus(keyId);
            return Params.of("KeyRotationEnabled", s.rotationEnabled(), "KeyId", s.keyId(),
                    "RotationPeriodInDays", s.rotationEnabled() ? s.rotationPeriodInDays() : null,
                    "NextRotationDate", s.nextRotationDate() == null ? null : s.nextRotationDate().toString());
        }
    }

    @Command(name = "rotate-key-on-demand", mixinStandardHelpOptions = true,
            description = "Rotate now: new ciphertexts use a new key version; old ones still decrypt.")
    static final class RotateKeyOnDemand extends OnKey {
        @Override
        Object run(Kms kms) {
            KeyRotation r = kms.rotateKeyOnDemand(keyId);
            return Params.of("KeyId", r.keyId());
        }
    }

    @Command(name = "list-key-rotations", mixinStandardHelpOptions = true, description = "List a key's rotations.")
    static final class ListKeyRotations extends OnKey {
        @Override
        Object run(Kms kms) {
            return Shapes.rotations(kms.listKeyRotations(keyId));
        }
    }
}
