package io.kms4j.aws;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@code moto_server}, a third-party AWS emulator that comes with the machine's Python, on 127.0.0.1 at a
 * free port for one test class: started before the class, wiped ({@code POST /moto-api/reset}) once ready, and
 * stopped after. Register it with {@code @RegisterExtension static final MotoServer MOTO = new MotoServer();}.
 *
 * <p>Thread safety: JUnit calls the callbacks from one thread; {@link #endpoint()} is safe from any thread once
 * started.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private Process process;
    private volatile URI endpoint;
    private Path log;

    /** The endpoint to give AWS clients. */
    public URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("moto_server is not running");
        }
        return endpoint;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        log = Files.createTempFile("moto-server-", ".log");
        process = new ProcessBuilder(executable(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        waitUntilListening(port);
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
        endpoint = null;
    }

    /** Wipes every resource moto holds. */
    public void reset() throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        int status = c.getResponseCode();
        c.disconnect();
        if (status != 200) {
            throw new IOException("moto_server reset answered HTTP " + status);
        }
    }

    /** moto_server from PATH, else the pyenv shim the machine's Python installs it as. */
    private static String executable() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "moto_server");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        Path shim = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server");
        if (Files.isExecutable(shim)) {
            return shim.toString();
        }
        throw new IllegalStateException("moto_server is not installed: it comes with the machine's Python "
                + "(pip install 'moto[server]')");
    }

    private void waitUntilListening(int port) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto_server did not listen on port " + port + " within " + START_TIMEOUT);
    }
}
