package dev.streamlearn.ingestion.file;

import dev.streamlearn.schemas.avro.VectorEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns file rows into {@link VectorEvent}s: {@code --feature-fields} lists the features in order,
 * each a field name ({@code petal_width}), a range of names that differ by a number ({@code x1-x4}:
 * x1, x2, x3, x4) or a range of 1-based column positions ({@code 2-5}, CSV only: JSON objects have
 * no column order); {@code --id-field} (absent or missing: {@code <file>:<line>}), {@code
 * --label-field} (missing or empty: an unlabelled event), {@code --time-field} (absent: the line).
 * A row whose feature is missing or not a finite number is rejected naming the field.
 */
public final class VectorFieldMapping {
    private static final Pattern NAME_RANGE = Pattern.compile("(.*?)(\\d+)-\\1(\\d+)");
    private static final Pattern POSITION_RANGE = Pattern.compile("(\\d+)-(\\d+)");

    /** One feature: a field by name, or by 1-based column position (name null). */
    private record Feature(String name, int position) {}

    private final String idField;
    private final List<Feature> features;
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
        this.features = parse(featureFields);
    }

    private static List<Feature> parse(List<String> specs) {
        List<Feature> features = new ArrayList<>();
        for (String raw : specs) {
            String spec = raw.trim();
            Matcher positions = POSITION_RANGE.matcher(spec);
            Matcher names = NAME_RANGE.matcher(spec);
            if (positions.matches()) {
                int from = Integer.parseInt(positions.group(1));
                int to = Integer.parseInt(positions.group(2));
                requireForward(spec, from, to);
                if (from < 1) {
                    throw new IllegalArgumentException(
                            "feature field range '" + spec + "': column positions start at 1");
                }
                for (int p = from; p <= to; p++) {
                    features.add(new Feature(null, p));
                }
            } else if (names.matches()) {
                int from = Integer.parseInt(names.group(2));
                int to = Integer.parseInt(names.group(3));
                requireForward(spec, from, to);
                for (int n = from; n <= to; n++) {
                    features.add(new Feature(names.group(1) + n, 0));
                }
            } else if (!spec.isEmpty()) {
                features.add(new Feature(spec, 0));
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException(
                    "--feature-fields: at least one feature field is needed, e.g. x1-x4 or 2-5");
        }
        return List.copyOf(features);
    }

    private static void requireForward(String spec, int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException(
                    "feature field range '" + spec + "' runs backwards, expected e.g. x1-x4");
        }
    }

    /** How many features each event has. */
    public int size() {
        return features.size();
    }

    public Mapped<VectorEvent> map(FileRow row) {
        if (row.isError()) {
            return Mapped.rejected(row, row.error());
        }
        List<String> columns = null;
        List<Double> values = new ArrayList<>(features.size());
        for (Feature f : features) {
            String field = f.name();
            if (field == null) {
                if (columns == null) {
                    columns = new ArrayList<>(row.fields().keySet());
                }
                if (f.position() > columns.size()) {
                    return Mapped.rejected(
                            row,
                            "feature column "
                                    + f.position()
                                    + " does not exist (the row has "
                                    + columns.size()
                                    + " fields; column positions need a CSV file)");
                }
                field = columns.get(f.position() - 1);
            }
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
