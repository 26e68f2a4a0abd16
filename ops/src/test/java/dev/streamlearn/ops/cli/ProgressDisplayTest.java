package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What ingest and generate print while they load, on a terminal and in a log. */
class ProgressDisplayTest {

    @Test
    void withoutATerminalPrintsWholeLinesWithCountsAndRateAndNoCarriageReturns() {
        // Given a display that is not on a terminal (a pipe, a log, CI)
        StringWriter written = new StringWriter();
        PrintWriter out = new PrintWriter(written);

        // When a load of 300 rows runs to its end and the display is closed
        try (ProgressDisplay progress = ProgressDisplay.on(out, "Ingesting", false)) {
            for (long done = 1; done <= 300; done++) {
                progress.update(done, 300, done / 100);
            }
        }

        // Then it printed plain lines, the last one the final state, none of them twice
        String text = written.toString();
        assertThat(text).doesNotContain("\r").endsWith(System.lineSeparator());
        String[] lines = text.split(System.lineSeparator());
        assertThat(lines).doesNotHaveDuplicates();
        assertThat(lines[lines.length - 1])
                .startsWith("Ingesting 100% [")
                .contains("300/300 records")
                .contains("records/s")
                .endsWith("rejected 3");
    }

    @Test
    void onATerminalRedrawsOneLineInPlaceAndEndsIt() {
        StringWriter written = new StringWriter();
        PrintWriter out = new PrintWriter(written);

        try (ProgressDisplay progress = ProgressDisplay.on(out, "Generating", true)) {
            for (long done = 1; done <= 50; done++) {
                progress.update(done, 50, 0);
            }
        }

        String text = written.toString();
        assertThat(text).startsWith("\rGenerating ").endsWith(System.lineSeparator());
        // every redraw went back to the start of the one line
        assertThat(text.split(System.lineSeparator())).hasSize(1);
        assertThat(text.substring(text.lastIndexOf('\r') + 1))
                .contains("50/50 records")
                .contains("rejected 0");
    }
}
