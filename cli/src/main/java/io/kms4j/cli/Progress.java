package io.kms4j.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * A progress bar on stderr while a file streams through, shown only on a terminal (never when output is piped
 * or redirected, so scripts and logs stay clean), redrawn at most ten times a second.
 */
final class Progress extends FilterInputStream {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final long total;
    private final String label;
    private long done;
    private long lastDraw;
    private long drawnAt = -1;

    private Progress(InputStream in, PrintWriter err, long total, String label) {
        super(in);
        this.err = err;
        this.total = total;
        this.label = label;
    }

    /** Wraps {@code in} with a progress bar when there is a terminal, else returns it unchanged. */
    static InputStream wrap(InputStream in, PrintWriter err, long total, String label, Boolean forced) {
        boolean show = forced != null ? forced : System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return show ? new Progress(in, err, total, label) : in;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || done == total) {
            lastDraw = now;
            draw();
        }
    }

    private void draw() {
        if (drawnAt == done) {
            return;
        }
        drawnAt = done;
        int width = 30;
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * width);
        err.printf("\r%s [%s%s] %3d%% %s", label, "#".repeat(filled), " ".repeat(width - filled),
                Math.round(fraction * 100), human(done));
        err.flush();
    }

    @Override
    public void close() throws IOException {
        super.close();
        draw();
        err.println();
        err.flush();
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
