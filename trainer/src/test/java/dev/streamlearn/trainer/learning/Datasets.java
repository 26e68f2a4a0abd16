package dev.streamlearn.trainer.learning;

import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Slices of the shipped datasets (repository folder {@code datasets/}) for tests. */
public final class Datasets {
    private Datasets() {}

    public static Path path(String name) {
        return Path.of("..", "datasets", name);
    }

    /** The first {@code n} SpamAssassin messages, subject and body joined, in file order. */
    public static List<TextEvent> spam(int n) {
        TextFieldMapping mapping =
                new TextFieldMapping("id", List.of("subject", "text"), "label", null);
        List<TextEvent> events = new ArrayList<>();
        try (FileRows rows = FileRows.open(path("spamassassin.jsonl.gz"))) {
            while (rows.hasNext() && events.size() < n) {
                events.add(mapping.map(rows.next()).value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** The first {@code n} values of a one-series CSV column. */
    public static double[] series(String file, String valueField, int n) {
        SeriesFieldMapping mapping = new SeriesFieldMapping(null, valueField, null, file);
        List<Double> values = new ArrayList<>();
        try (FileRows rows = FileRows.open(path(file))) {
            while (rows.hasNext() && values.size() < n) {
                Mapped<SeriesPoint> m = mapping.map(rows.next());
                if (!m.isRejected()) {
                    values.add(m.value().getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
