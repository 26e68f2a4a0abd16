package dev.streamlearn.ops.local;

import java.io.PrintWriter;

/** Prints the status line: redrawn in place on a terminal, a new line every 10 s otherwise. */
public final class StatusPrinter {
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private long lastPlain;

    public StatusPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void print(LocalPipeline pipeline) {
        String line = StatusLine.of(pipeline);
        if (terminal) {
            out.print("\r" + line + "   ");
        } else if (System.nanoTime() - lastPlain > PLAIN_EVERY_NANOS) {
            out.println(line);
            lastPlain = System.nanoTime();
        } else {
            return;
        }
        out.flush();
    }
}
