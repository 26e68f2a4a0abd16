package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.schemas.avro.SeriesScore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesBoardTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void eachPointSaysWhichExpertForecastItWithTheModelsOwnForecastAndTheRecentErrors() {
        SeriesBoard board = new SeriesBoard(10);

        board.add(score(20.0, null, null, null, null, null));
        board.add(score(20.1, 20.0, "model", 20.0, 0.1, 0.1));
        board.add(score(20.1, 20.1, "persistence", 19.5, 0.4, 0.1));
        board.add(score(20.2, 20.15, "linear", 19.8, 0.35, 0.1));

        JsonNode json = board.json();
        assertThat(json.at("/scoredBy/model").asLong()).isEqualTo(1);
        assertThat(json.at("/scoredBy/persistence").asLong()).isEqualTo(1);
        assertThat(json.at("/scoredBy/linear").asLong()).isEqualTo(1);
        JsonNode fields = json.get("fields");
        assertThat(fields.get(5).asText()).isEqualTo("forecastBy");
        assertThat(fields.get(6).asText()).isEqualTo("modelForecast");
        JsonNode last = json.at("/series/mote-1/2");
        assertThat(last.get(2).asDouble()).isEqualTo(20.1);
        assertThat(last.get(5).asText()).isEqualTo("persistence");
        assertThat(last.get(6).asDouble()).isEqualTo(19.5);
        assertThat(last.get(7).asDouble()).isEqualTo(0.4);
        assertThat(last.get(8).asDouble()).isEqualTo(0.1);
        assertThat(json.at("/series/mote-1/0/5").isNull()).as("no forecast yet").isTrue();
    }

    @Test
    void aScoreFromAScorerBeforeTheExpertsCountsAsTheModels() {
        SeriesBoard board = new SeriesBoard(10);

        board.add(score(20.1, 20.0, null, null, null, null));

        assertThat(board.scoredBy()).containsExactly(Map.entry("model", 1L));
    }

    private static SeriesScore score(
            double value,
            Double forecast,
            String forecastBy,
            Double modelForecast,
            Double recentModelMae,
            Double recentPersistenceMae) {
        return SeriesScore.newBuilder()
                .setSeriesId("mote-1")
                .setEventTime(T0)
                .setValue(value)
                .setForecast(forecast)
                .setError(forecast == null ? null : value - forecast)
                .setAnomalyScore(forecast == null ? null : 1.0)
                .setModel("lstm-forecaster")
                .setModelVersion(3)
                .setScoredAt(T0)
                .setForecastBy(forecastBy)
                .setModelForecast(modelForecast)
                .setRecentModelMae(recentModelMae)
                .setRecentPersistenceMae(recentPersistenceMae)
                .build();
    }
}
