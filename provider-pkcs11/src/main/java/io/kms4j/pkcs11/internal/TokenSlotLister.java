package io.kms4j.pkcs11.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Lists the slots of a PKCS#11 module that hold a token, with each token's label, by calling the module's
 * {@code C_GetSlotList} and {@code C_GetTokenInfo} through the JDK's own PKCS#11 wrapper
 * ({@code sun.security.pkcs11.wrapper}, module {@code jdk.crypto.cryptoki}).
 *
 * <p>Why this exists: SunPKCS11 selects a token by slot id only, never reports a token's label through a
 * public API, and SoftHSM2 gives tokens random slot ids. The wrapper package is not exported, so this class
 * works only where it is ({@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED});
 * {@link TokenSlotResolver} runs it in-process when the package is exported to it, and otherwise in a short
 * child JVM started with that flag, through {@link #main}. See {@code docs/PKCS11.md}.
 *
 * <p>Uses only JDK classes, so the child JVM needs nothing but this class on its class path. It initialises
 * the module with {@code CKF_OS_LOCKING_OK}, exactly as SunPKCS11 does, and shares the module instance with
 * SunPKCS11 (the wrapper keeps one per library path), so a later SunPKCS11 provider on the same library is
 * unaffected. It never calls {@code C_Finalize}, never logs in and never sees a PIN.
 *
 * <p>Not API. Thread safety: stateless; the module call it makes is thread-safe.
 */
public final class TokenSlotLister {
    /** The package that must be exported to this class for the in-process path. */
    static final String WRAPPER_PACKAGE = "sun.security.pkcs11.wrapper";
    /** The module that holds it. */
    static final String CRYPTOKI_MODULE = "jdk.crypto.cryptoki";
    /** {@code CKF_OS_LOCKING_OK}: the module may use the operating system's mutexes (SunPKCS11 passes it too). */
    private static final long CKF_OS_LOCKING_OK = 0x2L;

    private TokenSlotLister() {
    }

    /** One slot with a token in it. */
    record Slot(long slotId, String label) {
    }

    /**
     * Lists the slots of {@code library} that hold a token.
     *
     * @throws ReflectiveOperationException when the wrapper is not accessible (package not exported) or the
     *     module call fails; the cause then carries the PKCS#11 error
     */
    static List<Slot> list(String library) throws ReflectiveOperationException {
        Class<?> pkcs11 = Class.forName(WRAPPER_PACKAGE + ".PKCS11");
        Class<?> initArgsType = Class.forName(WRAPPER_PACKAGE + ".CK_C_INITIALIZE_ARGS");
        Object initArgs = initArgsType.getConstructor().newInstance();
        initArgsType.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
        // PKCS11.getInstance(String library, String functionList, CK_C_INITIALIZE_ARGS, boolean omitInitialize):
        // the same signature on JDK 17 through 25.
        Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsType,
                boolean.class);
        Object module = getInstance.invoke(null, library, "C_GetFunctionList", initArgs, false);
        long[] slotIds = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true);
        Method getTokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
        List<Slot> slots = new ArrayList<>();
        for (long slotId : slotIds) {
            Object tokenInfo;
            try {
                tokenInfo = getTokenInfo.invoke(module, slotId);
            } catch (InvocationTargetException e) {
                continue; // the token went away between the two calls: not a candidate
            }
            char[] label = (char[]) tokenInfo.getClass().getField("label").get(tokenInfo);
            slots.add(new Slot(slotId, trimLabel(label)));
        }
        return slots;
    }

    /** PKCS#11 labels are 32 bytes padded with blanks; the JDK hands them over as chars, one per byte. */
    static String trimLabel(char[] label) {
        byte[] bytes = new byte[label.length];
        for (int i = 0; i < label.length; i++) {
            bytes[i] = (byte) label[i];
        }
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        int end = decoded.length();
        while (end > 0 && (decoded.charAt(end - 1) == ' ' || decoded.charAt(end - 1) == '\0')) {
            end--;
        }
        return decoded.substring(0, end);
    }

    /**
     * The child-JVM entry point: {@code TokenSlotLister <library>} prints one line per slot with a token,
     * {@code <slot id> <label as hex of its UTF-8 bytes>} (hex, so that any label survives the trip), and exits
     * 0; on failure it prints the reason to standard error and exits 1.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TokenSlotLister <pkcs11-module-path>");
            System.exit(2);
        }
        try {
            StringBuilder out = new StringBuilder();
            for (Slot slot : list(args[0])) {
                out.append(slot.slotId()).append(' ')
                        .append(HexFormat.of().formatHex(slot.label().getBytes(StandardCharsets.UTF_8))).append('\n');
            }
            System.out.print(out);
            System.out.flush();
            System.exit(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            System.err.println(cause);
            System.exit(1);
        }
    }
}
