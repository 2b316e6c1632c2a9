package io.kms4j.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a token's objects with OpenSC's {@code pkcs11-tool}, a PKCS#11 client independent of the JDK, so tests
 * check what is really on the token rather than what SunPKCS11 says. The PIN reaches it through an environment
 * variable ({@code --pin env:NAME}), never through its command line.
 */
final class Pkcs11Tool {
    private static final Pattern OBJECT_START =
            Pattern.compile("^(Secret Key|Private Key|Public Key|Certificate|Data) Object;.*$", Pattern.MULTILINE);

    private Pkcs11Tool() {
    }

    /** One object as pkcs11-tool prints it ({@code id} is hex, empty when the object has none). */
    record TokenObject(String kind, String label, String id, Set<String> usage, Set<String> access,
                       boolean valueShown) {
    }

    /** Every secret-key object on the token, read after logging in with the test PIN. */
    static List<TokenObject> secretKeys(String tokenLabel) {
        return objects(tokenLabel, "--type", "secrkey");
    }

    /** Every object on the token (keys of all kinds and certificates), read after logging in. */
    static List<TokenObject> allObjects(String tokenLabel) {
        return objects(tokenLabel);
    }

    private static List<TokenObject> objects(String tokenLabel, String... filter) {
        List<String> args = new ArrayList<>(List.of("--module", TestToken.module().toString(), "--token-label",
                tokenLabel, "--login", "--pin", "env:" + TestToken.PIN_VARIABLE, "--list-objects"));
        args.addAll(Arrays.asList(filter));
        String out = run(args.toArray(new String[0]));
        List<TokenObject> objects = new ArrayList<>();
        Matcher m = OBJECT_START.matcher(out);
        List<Integer> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
        }
        for (int i = 0; i < starts.size(); i++) {
            String block = out.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : out.length());
            objects.add(new TokenObject(block.substring(0, block.indexOf(" Object;")), field(block, "label"),
                    field(block, "ID"), words(field(block, "Usage")), words(field(block, "Access")),
                    block.lines().anyMatch(l -> l.strip().startsWith("VALUE:"))));
        }
        return objects;
    }

    private static String field(String block, String name) {
        for (String line : block.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith(name + ":")) {
                return stripped.substring(name.length() + 1).strip();
            }
        }
        return "";
    }

    private static Set<String> words(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : list.split(",")) {
            if (!w.isBlank()) {
                out.add(w.strip());
            }
        }
        return out;
    }

    private static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("pkcs11-tool");
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] stdout = p.getInputStream().readAllBytes();
            byte[] stderr = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("pkcs11-tool failed: " + new String(stderr, StandardCharsets.UTF_8));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("pkcs11-tool (Debian package opensc) is needed by this test; run "
                    + "./scripts/test.sh, which installs it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
