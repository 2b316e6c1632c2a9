package io.kms4j.pkcs11.internal;

import io.kms4j.KeyUnavailableException;
import io.kms4j.ValidationException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Finds the slot that holds the token with a given label.
 *
 * <p>SunPKCS11 can only be pointed at a slot id, and SoftHSM2 (like many HSMs) gives slots ids that change when
 * tokens are created; the label is what an operator knows. Reading labels needs the JDK's PKCS#11 wrapper,
 * which the JDK does not export. So:
 * <ol>
 *   <li>when {@code sun.security.pkcs11.wrapper} is exported to this code (the JVM was started with
 *       {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}, or an executable
 *       jar's manifest says {@code Add-Exports}), the labels are read in-process;
 *   <li>otherwise a short-lived child JVM of the same Java installation runs {@link TokenSlotLister} with that
 *       flag and reports the labels (a few hundred milliseconds, once per provider start). The child inherits
 *       the environment (for example {@code SOFTHSM2_CONF}) and is never given a PIN.
 * </ol>
 * Exactly one slot must carry the label. Callers that know the slot id can skip all this.
 *
 * <p>Not API. Thread safety: stateless.
 */
public final class TokenSlotResolver {
    /**
     * Labels already resolved in this JVM, by module and label. Safe to keep: a module such as SoftHSM2 fixes
     * its slot list when this process first initialises it, so what this JVM can use does not change.
     */
    private static final ConcurrentMap<List<String>, Long> RESOLVED = new ConcurrentHashMap<>();

    private TokenSlotResolver() {
    }

    /**
     * The slot id of the one token labelled {@code label} in {@code library}.
     *
     * @throws ValidationException when no token, or more than one, has that label
     * @throws KeyUnavailableException when the module's slots cannot be listed
     */
    public static long resolve(String library, String label) {
        return RESOLVED.computeIfAbsent(List.of(library, label), k -> search(library, label));
    }

    /** Forgets a resolution that turned out to be stale (the slot could not be opened). */
    public static void forget(String library, String label) {
        RESOLVED.remove(List.of(library, label));
    }

    private static long search(String library, String label) {
        List<TokenSlotLister.Slot> slots = list(library);
        List<Long> matches = slots.stream().filter(s -> s.label().equals(label)).map(TokenSlotLister.Slot::slotId)
                .collect(Collectors.toList());
        if (matches.size() == 1) {
            return matches.get(0);
        }
        String seen = slots.stream().filter(s -> !s.label().isEmpty()).map(s -> "'" + s.label() + "'")
                .collect(Collectors.joining(", "));
        if (matches.isEmpty()) {
            throw new ValidationException("no PKCS#11 token labelled '" + label + "' in " + library
                    + " (tokens found: " + (seen.isEmpty() ? "none" : seen) + ")");
        }
        throw new ValidationException(matches.size() + " PKCS#11 tokens are labelled '" + label + "' in " + library
                + " (slots " + matches + "); relabel them or give the slot id");
    }

    /** Every slot with a token, in-process if the wrapper is exported to this code, else in a child JVM. */
    static List<TokenSlotLister.Slot> list(String library) {
        if (wrapperExportedToUs()) {
            try {
                return TokenSlotLister.list(library);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                throw new KeyUnavailableException("cannot list the tokens of PKCS#11 module " + library + ": "
                        + Pkcs11Errors.describe(cause), cause);
            }
        }
        return listInChildJvm(library);
    }

    /** Whether {@code sun.security.pkcs11.wrapper} is exported to this class's module. */
    static boolean wrapperExportedToUs() {
        Optional<Module> cryptoki = ModuleLayer.boot().findModule(TokenSlotLister.CRYPTOKI_MODULE);
        return cryptoki.isPresent()
                && cryptoki.get().isExported(TokenSlotLister.WRAPPER_PACKAGE, TokenSlotLister.class.getModule());
    }

    /** Runs {@link TokenSlotLister} in a child JVM with the export flag. */
    static List<TokenSlotLister.Slot> listInChildJvm(String library) {
        return parse(ChildJvm.run(TokenSlotLister.class, "listing the tokens of PKCS#11 module " + library
                + " (or give the slot id)", List.of(library)));
    }

    /** Parses {@link TokenSlotLister#main} output. */
    static List<TokenSlotLister.Slot> parse(String output) {
        List<TokenSlotLister.Slot> slots = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                throw new KeyUnavailableException("unexpected token list line: " + line);
            }
            try {
                slots.add(new TokenSlotLister.Slot(Long.parseLong(line.substring(0, space)),
                        new String(HexFormat.of().parseHex(line.substring(space + 1).strip()),
                                StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                throw new KeyUnavailableException("unexpected token list line: " + line, e);
            }
        }
        return slots;
    }
}
