package dev.streamlearn.ingestion.file;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ordered list of fields as options give them ({@code --feature-fields}, {@code
 * --pixel-fields}): field names ({@code petal_width}), ranges of names that differ by a number
 * ({@code x1-x4}: x1, x2, x3, x4) and ranges of 1-based column positions ({@code 2-5}, CSV only:
 * JSON objects have no column order).
 */
final class FieldRanges {
    private static final Pattern NAME_RANGE = Pattern.compile("(.*?)(\\d+)-\\1(\\d+)");
    private static final Pattern POSITION_RANGE = Pattern.compile("(\\d+)-(\\d+)");

    /** One field: by name, or by 1-based column position (name null). */
    private record Field(String name, int position) {}

    /** A row's field names in order, or why the row has not got them all. */
    record Resolved(List<String> names, String rejection) {}

    private final String noun;
    private final List<Field> fields;
    private final boolean byPosition;

    /**
     * @param noun what the fields hold, for messages ("feature")
     * @param option the option that lists them, for messages ("--feature-fields")
     * @throws IllegalArgumentException for an empty list or a range that runs backwards, naming it
     */
    FieldRanges(String noun, String option, List<String> specs) {
        this.noun = noun;
        List<Field> parsed = new ArrayList<>();
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
                            noun + " field range '" + spec + "': column positions start at 1");
                }
                for (int p = from; p <= to; p++) {
                    parsed.add(new Field(null, p));
                }
            } else if (names.matches()) {
                int from = Integer.parseInt(names.group(2));
                int to = Integer.parseInt(names.group(3));
                requireForward(spec, from, to);
                for (int n = from; n <= to; n++) {
                    parsed.add(new Field(names.group(1) + n, 0));
                }
            } else if (!spec.isEmpty()) {
                parsed.add(new Field(spec, 0));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(
                    option + ": at least one " + noun + " field is needed, e.g. x1-x4 or 2-5");
        }
        this.fields = List.copyOf(parsed);
        this.byPosition = fields.stream().anyMatch(f -> f.name() == null);
    }

    private void requireForward(String spec, int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException(
                    noun + " field range '" + spec + "' runs backwards, expected e.g. x1-x4");
        }
    }

    int size() {
        return fields.size();
    }

    /** The names of the fields in {@code row}: positions are looked up in its column order. */
    Resolved resolve(FileRow row) {
        List<String> columns = byPosition ? new ArrayList<>(row.fields().keySet()) : null;
        List<String> names = new ArrayList<>(fields.size());
        for (Field f : fields) {
            if (f.name() != null) {
                names.add(f.name());
            } else if (f.position() > columns.size()) {
                return new Resolved(
                        null,
                        noun
                                + " column "
                                + f.position()
                                + " does not exist (the row has "
                                + columns.size()
                                + " fields; column positions need a CSV file)");
            } else {
                names.add(columns.get(f.position() - 1));
            }
        }
        return new Resolved(names, null);
    }
}
