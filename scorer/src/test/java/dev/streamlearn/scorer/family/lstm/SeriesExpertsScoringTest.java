package dev.streamlearn.scorer.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.lstm.ForecastExperts;
import dev.streamlearn.models.family.lstm.LinearPart;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 4: a series whose model is worse than persistence on its recent points is scored
 * with persistence's forecast, and its scores say so ({@link ForecastExperts}).
 *
 * <p>Fixture: a rising ramp (one unit per point) and two forecasters of window 4 whose only
 * non-zero weight is the linear part's bias. On any rising ramp the change to the next point is
 * 1/sqrt(1.25) window scales, so a bias of +1/sqrt(1.25) forecasts the ramp exactly and a bias of
 * -1/sqrt(1.25) forecasts one unit down, an error of 2 against persistence's 1.
 */
class SeriesExpertsScoringTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final ModelSpec SPEC =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 4)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 3);
    private static final double RAMP_CHANGE = 1 / Math.sqrt(1.25);
    private static final int WINDOW = 4;
    private static final int POINTS = 60;

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> points;
    private TestOutputTopic<String, SeriesScore> scores;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aSeriesWhoseModelTrailsPersistenceIsScoredWithPersistenceAndSaysSo() {
        // Given a model that forecasts every step of the ramp the wrong way
        start();
        publish(biasOnly(-RAMP_CHANGE));

        // When the ramp is scored
        List<SeriesScore> ramp = sendRamp("mote-1");

        // Then the first forecast is the model's (no errors yet); once the model has had twice
        // persistence's error, persistence forecasts every point
        SeriesScore first = ramp.get(WINDOW);
        List<SeriesScore> byPersistence = ramp.subList(WINDOW + 1, POINTS);
        assertThat(ramp.subList(0, WINDOW)).allSatisfy(s -> assertThat(s.getForecastBy()).isNull());
        assertThat(first.getForecastBy()).isEqualTo("model");
        assertThat(first.getForecast()).isCloseTo(first.getValue() - 2, within(1e-6));
        assertThat(byPersistence)
                .allSatisfy(
                        s -> {
                            assertThat(s.getForecastBy()).isEqualTo("persistence");
                            assertThat(s.getForecast()).isEqualTo(s.getValue() - 1);
                            assertThat(s.getError()).isEqualTo(1.0);
                            assertThat(s.getModelForecast())
                                    .as("the model's own forecast is still made and published")
                                    .isCloseTo(s.getValue() - 2, within(1e-6));
                            assertThat(s.getRecentModelMae()).isCloseTo(2, within(1e-6));
                            assertThat(s.getRecentPersistenceMae()).isEqualTo(1.0);
                            assertThat(s.getAnomalyScore())
                                    .as("of the model's constant error, as usual as ever")
                                    .isCloseTo(1, within(1e-6));
                        });
        assertThat(ramp.get(WINDOW).getNextForecast())
                .as("the next point will be forecast by persistence, so its forecast is published")
                .isEqualTo(ramp.get(WINDOW).getValue());
        assertThat(metrics.seriesScoredBy(ForecastExperts.MODEL).sum()).isEqualTo(1);
        assertThat(metrics.seriesScoredBy(ForecastExperts.PERSISTENCE).sum())
                .isEqualTo(POINTS - WINDOW - 1);
    }

    @Test
    void aSeriesWhoseModelBeatsPersistenceIsScoredWithTheModel() {
        // Given a model that forecasts the ramp exactly
        start();
        publish(biasOnly(RAMP_CHANGE));

        // When the ramp is scored
        List<SeriesScore> ramp = sendRamp("mote-1");

        // Then every point with a forecast is the model's
        assertThat(ramp.subList(WINDOW, POINTS))
                .allSatisfy(
                        s -> {
                            assertThat(s.getForecastBy()).isEqualTo("model");
                            assertThat(s.getError()).isCloseTo(0, within(1e-6));
                        });
        assertThat(ramp.get(POINTS - 1).getRecentModelMae()).isCloseTo(0, within(1e-6));
        assertThat(ramp.get(POINTS - 1).getRecentPersistenceMae()).isCloseTo(1, within(1e-9));
        assertThat(metrics.seriesScoredBy(ForecastExperts.MODEL).sum()).isEqualTo(POINTS - WINDOW);
        assertThat(metrics.seriesScoredBy(ForecastExperts.PERSISTENCE).sum()).isZero();
    }

    @Test
    void eachSeriesFallsBackOnItsOwnRecentErrors() {
        // Given the model that forecasts a rising ramp the wrong way and a falling one exactly
        // (on a falling ramp a bias of -1/sqrt(1.25) is the true change)
        start();
        publish(biasOnly(-RAMP_CHANGE));

        // When a rising and a falling series are scored side by side
        for (int i = 0; i < POINTS; i++) {
            send("up", i, i);
            send("down", -i, i);
        }

        // Then only the rising one falls back
        List<SeriesScore> all = scores.readValuesToList();
        assertThat(last(all, "up").getForecastBy()).isEqualTo("persistence");
        assertThat(last(all, "down").getForecastBy()).isEqualTo("model");
    }

    private void start() {
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(ScorerOptions.defaults(), (k, l) -> {}, metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        points = driver.createInputTopic(Topics.SERIES_POINTS.name(), bytes, bytes);
        Topic<String, SeriesScore> topic = Topics.SERIES_SCORES;
        scores =
                driver.createOutputTopic(
                        topic.name(),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer());
    }

    private List<SeriesScore> sendRamp(String series) {
        for (int i = 0; i < POINTS; i++) {
            send(series, i, i);
        }
        List<SeriesScore> out = scores.readValuesToList();
        assertThat(out).hasSize(POINTS);
        return out;
    }

    private static SeriesScore last(List<SeriesScore> all, String series) {
        return all.stream()
                .filter(s -> s.getSeriesId().equals(series))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    /** A first version (it serves on sight) whose only non-zero weight is the linear bias. */
    private static ModelVersion biasOnly(double bias) {
        ParameterLayout layout = ParameterLayout.of(SPEC);
        float[] params = new float[layout.size()];
        params[layout.block(LinearPart.BIAS).offset()] = (float) bias;
        return VersionContract.build(
                new ModelWeights(SPEC, params),
                new Provenance("lstm-forecaster", 1, 0, 8, Map.of(), List.of(), T0));
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                version.getModel().getBytes(StandardCharsets.UTF_8),
                Topics.MODEL_VERSIONS
                        .valueSerde()
                        .serializer()
                        .serialize("model-versions", version));
    }

    private void send(String series, double value, int step) {
        SeriesPoint point = new SeriesPoint(series, T0.plusSeconds(5L * step), value);
        points.pipeInput(
                series.getBytes(StandardCharsets.UTF_8),
                Topics.SERIES_POINTS.valueSerde().serializer().serialize("series-points", point));
    }
}
