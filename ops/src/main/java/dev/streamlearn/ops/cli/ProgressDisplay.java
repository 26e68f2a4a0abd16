package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.load.Progress;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Load progress for people, drawn by the progressbar library: on a terminal a bar redrawn in place
 * five times a second, with counts, elapsed time, ETA and rate; otherwise (logs, pipes, CI) the
 * same line printed every five seconds and at the end, with no carriage returns. Close it when the
 * load ends, to draw the final state.
 *
 * <pre>{@code
 * try (ProgressDisplay progress = ProgressDisplay.on(out, "Ingesting")) {
 *     ingestion.load(file, 0, maxRows, sender, pacer, progress);
 * }
 * }</pre>
 */
final class ProgressDisplay implements Progress, AutoCloseable {
    private static final int REDRAW_EVERY_MS = 200;
    private static final int PLAIN_EVERY_MS = 5_000;
    // A log line's width when there is no terminal to measure.
    private static final int PLAIN_WIDTH = 100;

    private final ProgressBarBuilder builder;
    private final PrintWriter out;
    private final boolean terminal;
    private ProgressBar bar; // from the first update, which knows the total
    private long rejected = -1;

    private ProgressDisplay(ProgressBarBuilder builder, PrintWriter out, boolean terminal) {
        this.builder = builder;
        this.out = out;
        this.terminal = terminal;
    }

    /** Draws on {@code out}: a bar when this process runs on a terminal, plain lines otherwise. */
    static ProgressDisplay on(PrintWriter out, String task) {
        return on(out, task, System.console() != null);
    }

    /** As {@link #on(PrintWriter, String)}, told whether {@code out} is a terminal. */
    static ProgressDisplay on(PrintWriter out, String task, boolean terminal) {
        ProgressBarBuilder builder =
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" records", 1)
                        .showSpeed(new DecimalFormat("#,##0"));
        if (terminal) {
            builder.setUpdateIntervalMillis(REDRAW_EVERY_MS)
                    .setConsumer(
                            new DelegatingProgressBarConsumer(
                                    line -> {
                                        out.print('\r' + line);
                                        out.flush();
                                    }) {
                                @Override
                                public int getMaxRenderedLength() {
                                    // The terminal's width less the right margin the library's
                                    // own console consumer keeps, so the line never wraps.
                                    return super.getMaxRenderedLength() - 1;
                                }
                            });
        } else {
            String[] last = {""};
            builder.setUpdateIntervalMillis(PLAIN_EVERY_MS)
                    .setConsumer(
                            new DelegatingProgressBarConsumer(
                                    line -> {
                                        // Closing the bar draws its last state twice: harmless
                                        // in place on a terminal, a repeated line in a log.
                                        if (!line.equals(last[0])) {
                                            out.println(line);
                                            out.flush();
                                            last[0] = line;
                                        }
                                    },
                                    PLAIN_WIDTH));
        }
        return new ProgressDisplay(builder, out, terminal);
    }

    @Override
    public void update(long done, long total, long rejected) {
        if (bar == null) {
            bar = builder.setInitialMax(total).build(); // -1: unknown, an indefinite bar
        } else if (total != bar.getMax()) {
            bar.maxHint(total);
        }
        if (rejected != this.rejected) { // not a new String per record
            bar.setExtraMessage(String.format(" rejected %,d", rejected));
            this.rejected = rejected;
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar == null) {
            return;
        }
        bar.close(); // draws the final state before it returns
        if (terminal) {
            // End the bar's line here: the library closes its consumer only when the bar had
            // been drawn once before, which a load shorter than one redraw never is.
            out.println();
            out.flush();
        }
    }
}
