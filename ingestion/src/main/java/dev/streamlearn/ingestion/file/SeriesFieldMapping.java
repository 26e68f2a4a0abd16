package dev.streamlearn.ingestion.file;

import dev.streamlearn.schemas.avro.SeriesPoint;

/**
 * Turns file rows into {@link SeriesPoint}s: {@code --series-field} (absent: the whole file is the
 * series {@code defaultSeriesId}), {@code --value-field}, {@code --time-field} (absent: the row's
 * line number, which keeps file order).
 */
public record SeriesFieldMapping(
        String seriesField, String valueField, String timeField, String defaultSeriesId) {

    public Mapped<SeriesPoint> map(FileRow row) {
        if (row.isError()) {
            return Mapped.rejected(row, row.error());
        }
        String seriesId = defaultSeriesId;
        if (seriesField != null) {
            seriesId = row.fields().get(seriesField);
            if (seriesId == null || seriesId.isBlank()) {
                return Mapped.rejected(
                        row, "series field '" + seriesField + "' is missing or empty");
            }
        }
        String text = row.fields().get(valueField);
        if (text == null || text.isBlank()) {
            return Mapped.rejected(row, "value field '" + valueField + "' is missing or empty");
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Mapped.rejected(
                    row, "value field '" + valueField + "' = '" + text + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            return Mapped.rejected(
                    row, "value field '" + valueField + "' = '" + text + "' is not finite");
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
                new SeriesPoint(seriesId, java.time.Instant.ofEpochMilli(time), value), row);
    }
}
