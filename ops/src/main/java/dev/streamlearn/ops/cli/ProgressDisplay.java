package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.load.Progress;
import java.io.PrintWriter;

/**
 * Load progress for people: a bar redrawn in place on a terminal, and a plain line every few
 * seconds otherwise (logs and pipes have no carriage returns worth the name).
 */
final class ProgressDisplay implements Progress {
    private static final int BAR = 30;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
    private static final long REDRAW_EVERY_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastPlainNanos;
    private long lastRedrawNanos;

    ProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static ProgressDisplay on(PrintWriter out) {
        return new ProgressDisplay(out, System.console() != null);
    }

    @Override
    public void update(long done, long total, long rejected) {
        boolean finished = total >= 0 && done >= total;
        long now = System.nanoTime();
        if (!finished && now - lastRedrawNanos < REDRAW_EVERY_NANOS) {
            return; // callers may report every record; people need five updates a second
        }
        lastRedrawNanos = now;
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        String counts =
                total >= 0 ? String.format("%,d/%,d", done, total) : String.format("%,d", done);
        String eta =
                total > 0 && rate > 0
                        ? String.format("  ETA %s", duration((total - done) / rate))
                        : "";
        String line =
                String.format("%s records  %,.0f/s%s  rejected %,d", counts, rate, eta, rejected);
        if (terminal) {
            int filled = total > 0 ? (int) (BAR * done / total) : 0;
            out.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + line + "   ");
            if (finished) {
                out.println();
            }
            out.flush();
        } else if (now - lastPlainNanos > PLAIN_EVERY_NANOS || finished) {
            out.println(line);
            out.flush();
            lastPlainNanos = now;
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
