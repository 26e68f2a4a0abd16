package dev.streamlearn.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.schemas.avro.VectorEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorFieldMappingTest {
    /** A CSV row: id, x1..x3, label, in header order. */
    private static FileRow csvRow(String x2) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "p-7");
        fields.put("x1", "0.5");
        fields.put("x2", x2);
        fields.put("x3", "-2");
        fields.put("label", "same");
        return new FileRow("points.csv", 7, fields, null);
    }

    @Test
    void aNameRangeTakesEveryNumberedFieldInOrder() {
        VectorFieldMapping mapping = new VectorFieldMapping("id", List.of("x1-x3"), "label", null);

        VectorEvent event = mapping.map(csvRow("1e3")).value();

        assertThat(event.getFeatures()).containsExactly(0.5, 1000.0, -2.0);
        assertThat(event.getId()).isEqualTo("p-7");
        assertThat(event.getLabel()).isEqualTo("same");
        assertThat(mapping.size()).isEqualTo(3);
    }

    @Test
    void aPositionRangeTakesCsvColumnsCountedFromOne() {
        VectorFieldMapping mapping =
                new VectorFieldMapping("id", List.of("3-4", "x1"), "label", null);

        assertThat(mapping.map(csvRow("4")).value().getFeatures()).containsExactly(4.0, -2.0, 0.5);
    }

    @Test
    void aRowWithoutANumberIsRejectedNamingTheField() {
        VectorFieldMapping mapping = new VectorFieldMapping("id", List.of("x1-x3"), "label", null);

        assertThat(mapping.map(csvRow("n/a")).rejection().reason())
                .isEqualTo("feature field 'x2' is 'n/a', expected a finite number");
        assertThat(mapping.map(csvRow("")).rejection().reason())
                .isEqualTo("feature field 'x2' is missing or empty");
        assertThat(
                        new VectorFieldMapping("id", List.of("6-9"), "label", null)
                                .map(csvRow("1"))
                                .rejection()
                                .reason())
                .startsWith("feature column 6 does not exist");
    }

    @Test
    void aBackwardsRangeIsRefusedBeforeAnyRowIsRead() {
        assertThatThrownBy(() -> new VectorFieldMapping("id", List.of("x4-x1"), "label", null))
                .hasMessageContaining("'x4-x1' runs backwards");
    }
}
