package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The field mapping for series files (README, "Feed your own data"), the same wherever a file is
 * read.
 */
final class SeriesFieldOptions {
    @Option(
            names = "--series-field",
            description = "Field naming the series (default: the whole file is one series).")
    String seriesField;

    @Option(
            names = "--value-field",
            defaultValue = "value",
            description = "Field holding the value (default: ${DEFAULT-VALUE}).")
    String valueField;

    @Option(
            names = "--time-field",
            description = "Field holding the event time (default: the line number).")
    String timeField;

    /** The mapping for {@code file}; without --series-field the series is named after the file. */
    SeriesFieldMapping mapping(Path file) {
        return new SeriesFieldMapping(
                seriesField, valueField, timeField, file.getFileName().toString());
    }
}
