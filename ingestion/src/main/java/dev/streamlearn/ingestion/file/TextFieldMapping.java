package dev.streamlearn.ingestion.file;

import dev.streamlearn.schemas.avro.TextEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns file rows into {@link TextEvent}s: {@code --id-field} (absent or missing: {@code
 * <file>:<line>}), {@code --text-field} (several fields are joined with a blank line between them,
 * e.g. {@code subject,text}; missing ones are skipped, at least one must be present), {@code
 * --label-field} (missing or empty: an unlabelled event), {@code --time-field} (absent: the line).
 */
public record TextFieldMapping(
        String idField, List<String> textFields, String labelField, String timeField) {

    public TextFieldMapping {
        if (textFields.isEmpty()) {
            throw new IllegalArgumentException("at least one text field is needed");
        }
        textFields = List.copyOf(textFields);
    }

    public Mapped<TextEvent> map(FileRow row) {
        if (row.isError()) {
            return Mapped.rejected(row, row.error());
        }
        List<String> parts = new ArrayList<>();
        for (String field : textFields) {
            String part = row.fields().get(field);
            if (part != null) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return Mapped.rejected(row, "none of the text fields " + textFields + " is present");
        }
        String id = idField == null ? null : row.fields().get(idField);
        if (id == null || id.isBlank()) {
            id = row.file() + ":" + row.line();
        }
        String label = labelField == null ? null : row.fields().get(labelField);
        if (label != null && label.isBlank()) {
            label = null;
        }
        long time = row.line();
        if (timeField != null) {
            String t = row.fields().get(timeField);
            if (t == null || t.isBlank()) {
                return Mapped.rejected(row, "time field '" + timeField + "' is missing or empty");
            }
            try {
                time = EventTimes.parse(t);
            } catch (IllegalArgumentException e) {
                return Mapped.rejected(row, "time field '" + timeField + "': " + e.getMessage());
            }
        }
        return Mapped.of(
                new TextEvent(
                        id,
                        java.time.Instant.ofEpochMilli(time),
                        String.join("\n\n", parts),
                        label),
                row);
    }
}
