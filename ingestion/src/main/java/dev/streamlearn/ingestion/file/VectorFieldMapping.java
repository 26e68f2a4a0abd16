package dev.streamlearn.ingestion.file;

import dev.streamlearn.schemas.avro.VectorEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns file rows into {@link VectorEvent}s: {@code --feature-fields} lists the features in order,
 * each a field name ({@code petal_width}), a range of names that differ by a number ({@code x1-x4}:
 * x1, x2, x3, x4) or a range of 1-based column positions ({@code 2-5}, CSV only: JSON objects have
 * no column order); {@code --id-field} (absent or missing: {@code <file>:<line>}), {@code
 * --label-field} (missing or empty: an unlabelled event), {@code --time-field} (absent: the line).
 * A row whose feature is missing or not a finite number is rejected naming the field.
 */
public final class VectorFieldMapping {
    private final String idField;
    private final FieldRanges features;
    private final String labelField;
    private final String timeField;

    /**
     * @throws IllegalArgumentException for an empty list or a range that runs backwards, naming it
     */
    public VectorFieldMapping(
            String idField, List<String> featureFields, String labelField, String timeField) {
        this.idField = idField;
        this.labelField = labelField;
        this.timeField = timeField;
        this.features = new FieldRanges("feature", "--feature-fields", featureFields);
    }

    /** How many features each event has. */
    public int size() {
        return features.size();
    }

    public Mapped<VectorEvent> map(FileRow row) {
        if (row.isError()) {
            return Mapped.rejected(row, row.error());
        }
        FieldRanges.Resolved fields = features.resolve(row);
        if (fields.rejection() != null) {
            return Mapped.rejected(row, fields.rejection());
        }
        List<Double> values = new ArrayList<>(features.size());
        for (String field : fields.names()) {
            String text = row.fields().get(field);
            if (text == null || text.isBlank()) {
                return Mapped.rejected(row, "feature field '" + field + "' is missing or empty");
            }
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!Double.isFinite(value)) {
                return Mapped.rejected(
                        row,
                        "feature field '"
                                + field
                                + "' is '"
                                + text
                                + "', expected a finite number");
            }
            values.add(value);
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
        return Mapped.of(new VectorEvent(id, Instant.ofEpochMilli(time), values, label), row);
    }
}
