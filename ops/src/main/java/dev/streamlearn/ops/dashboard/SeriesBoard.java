package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.schemas.avro.SeriesScore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest scored points of the most recently active series: actual value, the forecast made for
 * it and its anomaly score, for the actual-vs-forecast chart; and which of the forecaster's experts
 * forecast each point ({@code SeriesScore.forecastBy}: the whole model, its linear part, or
 * persistence while the model trails it on the series' recent points), with the whole model's own
 * forecast and the recent errors the choice was made on.
 */
final class SeriesBoard {
    /**
     * An anomaly score is |error| over the series' slowly adapting error scale, a running mean of
     * errors clipped at 1.25 times the scale (the forecaster's default {@code anomalyClip}), which
     * settles below the mean |error|, so about 1 is a typical error. On the sensor dev set 7 flags
     * about as many points as 4 did when the clip was 3, with more of the labelled anomalies among
     * them and more of them found (BENCHMARKS.md, "Series forecast by their best expert").
     */
    static final double ANOMALY_THRESHOLD = 7.0;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int SERIES_SHOWN = 6;

    private final int pointsPerSeries;
    // Access order: the series updated longest ago is dropped first.
    private final Map<String, Bounded<ArrayNode>> series =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Bounded<ArrayNode>> eldest) {
                    return size() > SERIES_SHOWN;
                }
            };
    private long anomalies;
    // Points scored against a forecast, by the expert named in forecastBy.
    private final Map<String, Long> scoredBy = new TreeMap<>();

    SeriesBoard(int pointsPerSeries) {
        this.pointsPerSeries = pointsPerSeries;
    }

    void add(SeriesScore score) {
        ArrayNode point = NODES.arrayNode();
        point.add(score.getEventTime().toEpochMilli());
        point.add(score.getValue());
        addNullable(point, score.getForecast());
        addNullable(point, score.getAnomalyScore());
        point.add(score.getModelVersion());
        addNullable(point, score.getForecastBy());
        addNullable(point, score.getModelForecast());
        addNullable(point, score.getRecentModelMae());
        addNullable(point, score.getRecentPersistenceMae());
        if (score.getForecast() != null) {
            // Scores from scorers before the experts name none: the model's.
            String by = score.getForecastBy() == null ? "model" : score.getForecastBy();
            scoredBy.merge(by, 1L, Long::sum);
        }
        if (score.getAnomalyScore() != null && score.getAnomalyScore() >= ANOMALY_THRESHOLD) {
            anomalies++;
        }
        series.computeIfAbsent(score.getSeriesId(), id -> new Bounded<>(pointsPerSeries))
                .add(point);
    }

    long anomalies() {
        return anomalies;
    }

    /** Series points scored against a forecast, by the expert that forecast them. */
    Map<String, Long> scoredBy() {
        return Map.copyOf(scoredBy);
    }

    private static void addNullable(ArrayNode point, CharSequence value) {
        if (value == null) {
            point.addNull();
        } else {
            point.add(value.toString());
        }
    }

    private static void addNullable(ArrayNode point, Double value) {
        if (value == null || !Double.isFinite(value)) {
            point.addNull();
        } else {
            point.add(value);
        }
    }

    /**
     * {"threshold": T, "anomalies": n, "scoredBy": {expert: n}, "fields": [...], "series": {id:
     * [[t, value, forecast, anomaly, v, forecastBy, modelForecast, recentModelMae,
     * recentPersistenceMae]...]}}.
     */
    ObjectNode json() {
        ObjectNode node = NODES.objectNode();
        node.put("threshold", ANOMALY_THRESHOLD);
        node.put("anomalies", anomalies);
        ObjectNode by = node.putObject("scoredBy");
        scoredBy.forEach(by::put);
        node.putArray("fields")
                .add("eventTime")
                .add("value")
                .add("forecast")
                .add("anomalyScore")
                .add("modelVersion")
                .add("forecastBy")
                .add("modelForecast")
                .add("recentModelMae")
                .add("recentPersistenceMae");
        ObjectNode all = node.putObject("series");
        // Newest first, so the page can show the liveliest series by default.
        List<Map.Entry<String, Bounded<ArrayNode>>> newestFirst =
                new ArrayList<>(series.entrySet());
        Collections.reverse(newestFirst);
        newestFirst.forEach(
                e -> all.set(e.getKey(), NODES.arrayNode().addAll(e.getValue().items())));
        return node;
    }
}
