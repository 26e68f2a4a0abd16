package dev.streamlearn.ingestion.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldMappingTest {
    private static FileRow row(Map<String, String> fields) {
        return new FileRow("data.csv", 7, fields, null);
    }

    private final SeriesFieldMapping series =
            new SeriesFieldMapping("mote", "temperature", "date", "all");

    @Test
    void mapsASeriesRow() {
        Mapped<SeriesPoint> m =
                series.map(row(Map.of("mote", "3", "temperature", "27.5", "date", "19580329")));
        assertThat(m.value().getSeriesId()).isEqualTo("3");
        assertThat(m.value().getValue()).isEqualTo(27.5);
        assertThat(m.value().getEventTime()).isEqualTo(Instant.parse("1958-03-29T00:00:00Z"));
    }

    @Test
    void aTimeBeyondWhatEpochMillisecondsHoldIsARejectionNotAnException() {
        // Found by FileRowsFuzzTest: ISO-8601 years up to 999,999,999 parse, then overflowed.
        assertThat(
                        series.map(
                                        row(
                                                Map.of(
                                                        "mote",
                                                        "3",
                                                        "temperature",
                                                        "27.5",
                                                        "date",
                                                        "+999999999-12-31T23:59:59Z")))
                                .rejection())
                .hasToString(
                        "data.csv:7: time field 'date': time '+999999999-12-31T23:59:59Z' is out of"
                                + " range, expected one between years -292275055 and 292278994"
                                + " (epoch milliseconds)");
    }

    @Test
    void withoutASeriesFieldTheFileIsOneSeriesInLineOrder() {
        Mapped<SeriesPoint> m =
                new SeriesFieldMapping(null, "v", null, "births").map(row(Map.of("v", "8486")));
        assertThat(m.value().getSeriesId()).isEqualTo("births");
        assertThat(m.value().getEventTime().toEpochMilli()).isEqualTo(7);
    }

    @Test
    void rejectsSeriesRowsNamingFileLineFieldAndWhatWasExpected() {
        assertThat(
                        series.map(row(Map.of("mote", "3", "temperature", "", "date", "19580329")))
                                .rejection())
                .hasToString("data.csv:7: value field 'temperature' is missing or empty");
        assertThat(
                        series.map(
                                        row(
                                                Map.of(
                                                        "mote",
                                                        "3",
                                                        "temperature",
                                                        "warm",
                                                        "date",
                                                        "19580329")))
                                .rejection()
                                .reason())
                .isEqualTo("value field 'temperature' = 'warm' is not a number");
        assertThat(
                        series.map(
                                        row(
                                                Map.of(
                                                        "mote",
                                                        "3",
                                                        "temperature",
                                                        "NaN",
                                                        "date",
                                                        "19580329")))
                                .rejection()
                                .reason())
                .contains("is not finite");
        assertThat(
                        series.map(
                                        row(
                                                Map.of(
                                                        "mote",
                                                        "3",
                                                        "temperature",
                                                        "1",
                                                        "date",
                                                        "yesterday")))
                                .rejection()
                                .reason())
                .contains("time field 'date'")
                .contains("ISO-8601");
        assertThat(
                        series.map(
                                        new FileRow(
                                                "data.csv",
                                                9,
                                                Map.of(),
                                                "has 3 fields, the header has 2"))
                                .rejection())
                .hasToString("data.csv:9: has 3 fields, the header has 2");
    }

    @Test
    void joinsSeveralTextFieldsAndTreatsAnEmptyLabelAsUnlabelled() {
        TextFieldMapping text =
                new TextFieldMapping("id", List.of("subject", "text"), "label", null);
        Mapped<TextEvent> m =
                text.map(row(Map.of("id", "a", "subject", "Hi", "text", "body", "label", "")));
        assertThat(m.value().getText()).isEqualTo("Hi\n\nbody");
        assertThat(m.value().getLabel()).isNull();
        assertThat(m.value().getId()).isEqualTo("a");
    }

    @Test
    void rejectsATextRowWithoutAnyTextField() {
        TextFieldMapping text = new TextFieldMapping(null, List.of("text"), "label", null);
        assertThat(text.map(row(Map.of("body", "x"))).rejection().reason())
                .isEqualTo("none of the text fields [text] is present");
        assertThat(text.map(row(Map.of("text", "x"))).value().getId()).isEqualTo("data.csv:7");
    }
}
