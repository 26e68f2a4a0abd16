package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.file.VectorFieldMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How file fields map to a vector event (ingest and evaluate). */
final class VectorFieldOptions {
    @Option(
            names = "--id-field",
            defaultValue = "id",
            description = "Field holding the event id (default: ${DEFAULT-VALUE}).")
    String idField;

    @Option(
            names = "--feature-fields",
            required = true,
            split = ",",
            description =
                    "The features, in order: field names, ranges of numbered names (x1-x4) or of"
                            + " 1-based CSV column positions (2-5), e.g. x1-x4 or 2-5,age.")
    List<String> featureFields = new ArrayList<>();

    @Option(
            names = "--label-field",
            defaultValue = "label",
            description = "Field holding the label (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(
            names = "--time-field",
            description = "Field holding the event time (default: the line number).")
    String timeField;

    VectorFieldMapping mapping() {
        return new VectorFieldMapping(idField, featureFields, labelField, timeField);
    }
}
