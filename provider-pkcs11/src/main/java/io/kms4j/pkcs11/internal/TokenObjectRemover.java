package io.kms4j.pkcs11.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Destroys the public-key token objects carrying a label, through the JDK's PKCS#11 wrapper
 * ({@code sun.security.pkcs11.wrapper}).
 *
 * <p>Why this exists: SunPKCS11 has no public way to reach a public-key object on the token (its KeyStore lists
 * private keys, secret keys and certificates only), so deleting a key pair through the KeyStore removes the
 * private key and the certificate but would leave the public key behind. As in {@link TokenSlotLister}, the
 * wrapper package is not exported, so this runs in-process only when it is exported to kms4j, and otherwise in a
 * short child JVM started with {@code --add-exports} (a few hundred milliseconds; key pairs are destroyed only
 * when a deletion window ends); {@link TokenConnection} decides which. Uses only JDK classes, so the child JVM
 * needs nothing but this module on its class path. Public-key objects are public ({@code CKA_PRIVATE} false), so a read/write
 * session without login may destroy them: the child never logs in and never sees the PIN.
 *
 * <p>Not API. Thread safety: stateless; the module calls are thread-safe.
 */
public final class TokenObjectRemover {
    private static final long CKF_OS_LOCKING_OK = 0x2L;
    private static final long CKF_RW_SESSION = 0x2L;
    private static final long CKF_SERIAL_SESSION = 0x4L;
    private static final long CKA_CLASS = 0x0L;
    private static final long CKA_TOKEN = 0x1L;
    private static final long CKA_LABEL = 0x3L;
    private static final long CKO_PUBLIC_KEY = 0x2L;

    private TokenObjectRemover() {
    }

    /** The calls themselves; needs the wrapper package exported to this class. */
    static int destroy(String library, long slotId, String label) throws ReflectiveOperationException {
        String wrapper = TokenSlotLister.WRAPPER_PACKAGE;
        Class<?> pkcs11 = Class.forName(wrapper + ".PKCS11");
        Class<?> initArgsType = Class.forName(wrapper + ".CK_C_INITIALIZE_ARGS");
        Class<?> attributeType = Class.forName(wrapper + ".CK_ATTRIBUTE");
        Class<?> notifyType = Class.forName(wrapper + ".CK_NOTIFY");
        Object initArgs = initArgsType.getConstructor().newInstance();
        initArgsType.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
        Object module = pkcs11.getMethod("getInstance", String.class, String.class, initArgsType, boolean.class)
                .invoke(null, library, "C_GetFunctionList", initArgs, false);
        long session = (long) pkcs11.getMethod("C_OpenSession", long.class, long.class, Object.class, notifyType)
                .invoke(module, slotId, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
        try {
            Object template = java.lang.reflect.Array.newInstance(attributeType, 3);
            java.lang.reflect.Array.set(template, 0,
                    attributeType.getConstructor(long.class, long.class).newInstance(CKA_CLASS, CKO_PUBLIC_KEY));
            java.lang.reflect.Array.set(template, 1,
                    attributeType.getConstructor(long.class, boolean.class).newInstance(CKA_TOKEN, true));
            java.lang.reflect.Array.set(template, 2,
                    attributeType.getConstructor(long.class, Object.class).newInstance(CKA_LABEL,
                            label.toCharArray())); // kms4j labels are ASCII: one char per byte
            pkcs11.getMethod("C_FindObjectsInit", long.class, template.getClass()).invoke(module, session, template);
            long[] found;
            try {
                found = (long[]) pkcs11.getMethod("C_FindObjects", long.class, long.class)
                        .invoke(module, session, 64L);
            } finally {
                pkcs11.getMethod("C_FindObjectsFinal", long.class).invoke(module, session);
            }
            Method destroyObject = pkcs11.getMethod("C_DestroyObject", long.class, long.class);
            for (long handle : found) {
                destroyObject.invoke(module, session, handle);
            }
            return found.length;
        } finally {
            pkcs11.getMethod("C_CloseSession", long.class).invoke(module, session);
        }
    }

    /**
     * The child-JVM entry point: {@code TokenObjectRemover <library> <slot id> <label as hex>} destroys the
     * public-key objects with that label, prints how many, and exits 0; on failure it prints the reason to
     * standard error and exits 1.
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: TokenObjectRemover <pkcs11-module-path> <slot-id> <label-hex>");
            System.exit(2);
        }
        try {
            String label = new String(HexFormat.of().parseHex(args[2]), StandardCharsets.UTF_8);
            System.out.println(destroy(args[0], Long.parseLong(args[1]), label));
            System.out.flush();
            System.exit(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            System.err.println(cause);
            System.exit(1);
        }
    }
}
