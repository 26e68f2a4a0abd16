package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.file.TextFieldMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The field mapping for text files (README, "Feed your own data"), the same wherever a file is
 * read.
 */
final class TextFieldOptions {
    @Option(
            names = "--id-field",
            defaultValue = "id",
            description = "Field holding the event id (default: ${DEFAULT-VALUE}).")
    String idField;

    @Option(
            names = "--text-field",
            defaultValue = "text",
            split = ",",
            description =
                    "Field(s) holding the text; several are joined, e.g. subject,text (default: ${DEFAULT-VALUE}).")
    List<String> textFields = new ArrayList<>();

    @Option(
            names = "--label-field",
            defaultValue = "label",
            description = "Field holding the label (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(
            names = "--time-field",
            description = "Field holding the event time (default: the line number).")
    String timeField;

    TextFieldMapping mapping() {
        return new TextFieldMapping(idField, textFields, labelField, timeField);
    }
}
