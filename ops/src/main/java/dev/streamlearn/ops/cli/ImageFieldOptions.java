package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.file.ImageFieldMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How file fields map to an image event (ingest). */
final class ImageFieldOptions {
    @Option(
            names = "--id-field",
            defaultValue = "id",
            description = "Field holding the event id (default: ${DEFAULT-VALUE}).")
    String idField;

    @Option(
            names = "--width",
            required = true,
            paramLabel = "PIXELS",
            description = "Pixels per row of every image (28 for MNIST).")
    int width;

    @Option(
            names = "--height",
            required = true,
            paramLabel = "PIXELS",
            description = "Rows of every image (28 for MNIST).")
    int height;

    @Option(
            names = "--channels",
            defaultValue = "1",
            paramLabel = "N",
            description = "1 (greyscale) or 3 (RGB) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--pixel-fields",
            split = ",",
            description =
                    "The width x height x channels pixel values (integers 0-255), row-major and"
                            + " channel-last: field names, ranges of numbered names (p0-p783) or"
                            + " of 1-based CSV column positions (3-786) (default: p0 to p<N-1>).")
    List<String> pixelFields = new ArrayList<>();

    @Option(
            names = "--label-field",
            defaultValue = "label",
            description = "Field holding the label (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(
            names = "--time-field",
            description = "Field holding the event time (default: the line number).")
    String timeField;

    ImageFieldMapping mapping() {
        return new ImageFieldMapping(
                idField, pixelFields, width, height, channels, labelField, timeField);
    }
}
