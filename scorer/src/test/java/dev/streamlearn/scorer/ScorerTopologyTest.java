package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir Path stateDir;
    private final List<DeadLetter> refusedVersions = new ArrayList<>();
    private final ScorerMetrics metrics = new ScorerMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> texts;
    private TestInputTopic<byte[], byte[]> points;
    private TestOutputTopic<String, TextScore> textScores;
    private TestOutputTopic<String, SeriesScore> seriesScores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    private void start(ScorerOptions options) {
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                options, (key, letter) -> refusedVersions.add(letter), metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        controls = driver.createInputTopic(Topics.MODEL_CONTROL.name(), bytes, bytes);
        texts = driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
        points = driver.createInputTopic(Topics.SERIES_POINTS.name(), bytes, bytes);
        textScores = output(Topics.TEXT_SCORES);
        seriesScores = output(Topics.SERIES_SCORES);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    private void start() {
        start(ScorerOptions.defaults());
    }

    /** Without the promotion gate: every new version serves at once (policy follow). */
    private void startFollowingTheLatest() {
        start(ScorerOptions.defaults().withDefaultPolicy(ServingPolicy.FOLLOW));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aTextIsScoredWithProbabilitiesExplainingTokensAndTheVersionUsed() {
        start();
        publish(ModelVersions.text(1));

        send(text("mail-1", "Eliminate your back taxes now", "spam"));

        TextScore score = textScores.readValue();
        assertThat(score.getEventId()).isEqualTo("mail-1");
        assertThat(score.getModel()).isEqualTo("text-classifier");
        assertThat(score.getModelVersion()).isEqualTo(1);
        assertThat(score.getProbabilities()).containsOnlyKeys("ham", "spam");
        assertThat(
                        score.getProbabilities().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum())
                .isCloseTo(1.0, within(1e-6));
        assertThat(score.getPredictedLabel()).isIn("ham", "spam");
        assertThat(score.getTopTokens()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(score.getTopTokens())
                .extracting(t -> t.getToken())
                .isSubsetOf("eliminate", "your", "back", "taxes", "now", "^eliminate", "now$");
        assertThat(score.getTrueLabel()).isEqualTo("spam");
    }

    @Test
    void aNewVersionServesTheVeryNextEventWithoutARestart() {
        startFollowingTheLatest();
        publish(ModelVersions.text(1));
        send(text("a", "first", null));

        publish(ModelVersions.text(2));
        send(text("b", "second", null));

        assertThat(textScores.readValuesToList())
                .extracting(TextScore::getModelVersion)
                .containsExactly(1L, 2L);
    }

    @Test
    void aPinnedVersionServesUntilTheModelFollowsItsLatestAgain() {
        startFollowingTheLatest();
        publish(ModelVersions.text(1));
        publish(ModelVersions.text(2));
        send(text("a", "before the pin", null));

        control(ControlMode.PIN, 1L);
        send(text("b", "rolled back", null));
        publish(ModelVersions.text(3));
        send(text("c", "still pinned after a newer version", null));
        control(ControlMode.FOLLOW_LATEST, null);
        send(text("d", "following again", null));

        assertThat(textScores.readValuesToList())
                .extracting(TextScore::getModelVersion)
                .containsExactly(2L, 1L, 1L, 3L);
    }

    @Test
    void aCorruptVersionIsRefusedWithItsReasonAndTheServingVersionGoesOn() {
        start();
        publish(ModelVersions.text(1));

        publish(ModelVersions.corrupted(ModelVersions.text(2)));
        send(text("a", "scored by the version already serving", null));

        assertThat(textScores.readValue().getModelVersion()).isEqualTo(1);
        assertThat(refusedVersions)
                .singleElement()
                .satisfies(
                        letter -> {
                            assertThat(letter.getSourceTopic()).isEqualTo("model-versions");
                            assertThat(letter.getError())
                                    .contains("text-classifier version 2")
                                    .containsIgnoringCase("checksum");
                            assertThat(letter.getOriginalValue()).isNotNull();
                        });
        assertThat(metrics.versionsRejected.sum()).isEqualTo(1);
        assertThat(metrics.versionsAccepted.sum()).isEqualTo(1);
    }

    @Test
    void aVersionNotAboveTheHighestAcceptedIsRefused() {
        start();
        publish(ModelVersions.text(2));

        publish(ModelVersions.text(1));

        assertThat(refusedVersions)
                .singleElement()
                .satisfies(
                        letter ->
                                assertThat(letter.getError())
                                        .contains("is not above the highest accepted version 2"));
        send(text("a", "x", null));
        assertThat(textScores.readValue().getModelVersion()).isEqualTo(2);
    }

    @Test
    void eventsBeforeTheFirstModelAreScoredInOrderAsSoonAsOneExists() {
        start();
        send(text("early-1", "waiting", null));
        send(text("early-2", "also waiting", null));
        assertThat(textScores.isEmpty()).isTrue();
        assertThat(metrics.pending.get()).isEqualTo(2);

        publish(ModelVersions.text(1));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(textScores.readValuesToList())
                .extracting(TextScore::getEventId)
                .containsExactly("early-1", "early-2");
        assertThat(metrics.pending.get()).isZero();
    }

    @Test
    void waitingEventsGoFirstWhenTheNextEventArrivesBeforeThePunctuation() {
        start();
        send(text("early", "waiting", null));
        publish(ModelVersions.text(1));

        send(text("late", "arrives with a model", null));

        assertThat(textScores.readValuesToList())
                .extracting(TextScore::getEventId)
                .containsExactly("early", "late");
    }

    @Test
    void pastThePendingLimitEventsGoToDeadLettersNotLost() {
        start(ScorerOptions.defaults().withPendingLimit(1));
        send(text("kept", "waits", null));

        send(text("overflow", "no room", null));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getError())
                .contains("no version of text-classifier exists yet and 1 events already wait");
        assertThat(letter.getSourceTopic()).isEqualTo("text-events");
    }

    @Test
    void bytesThatAreNoTextEventGoToDeadLettersWithTheReasonAndScoringGoesOn() {
        start();
        publish(ModelVersions.text(1));

        texts.pipeInput(
                "k".getBytes(StandardCharsets.UTF_8),
                "{\"text\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        send(text("fine", "a good one", null));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getError())
                .startsWith("topic text-events: expected a single-object Avro TextEvent");
        assertThat(letter.getStage()).isEqualTo("scorer");
        assertThat(new String(letter.getOriginalValue().array(), StandardCharsets.UTF_8))
                .isEqualTo("{\"text\":\"json\"}");
        assertThat(textScores.readValue().getEventId()).isEqualTo("fine");
    }

    @Test
    void aSeriesPointIsCheckedAgainstTheForecastFromTheWindowBeforeIt() {
        start();
        publish(ModelVersions.series(1));
        double[] values = {20.0, 20.5, 21.0, 21.2, 21.1, 35.0};

        for (int i = 0; i < values.length; i++) {
            send(point("mote-1", values[i], i));
        }

        List<SeriesScore> scores = seriesScores.readValuesToList();
        assertThat(scores)
                .hasSize(values.length)
                .allSatisfy(
                        s -> {
                            assertThat(s.getModel()).isEqualTo("lstm-forecaster");
                            assertThat(s.getModelVersion()).isEqualTo(1);
                        });
        // Window W = 4: the first four points have no forecast; the fourth forecasts the fifth.
        assertThat(scores.subList(0, 4)).allSatisfy(s -> assertThat(s.getForecast()).isNull());
        assertThat(scores.get(3).getNextForecast()).isNotNull();
        SeriesScore fifth = scores.get(4);
        assertThat(fifth.getForecast()).isEqualTo(scores.get(3).getNextForecast());
        assertThat(fifth.getError()).isCloseTo(21.1 - fifth.getForecast(), within(1e-9));
        assertThat(fifth.getAnomalyScore()).isNotNull();
        SeriesScore jump = scores.get(5);
        assertThat(jump.getAnomalyScore())
                .as("a jump of 14 after steps of ~0.5")
                .isGreaterThan(fifth.getAnomalyScore());
    }

    @Test
    void afterAHotSwapAPointIsCheckedAgainstTheNewVersionsForecastNotTheOneKeptFromTheOld() {
        startFollowingTheLatest();
        publish(ModelVersions.series(1));
        double[] values = {20.0, 20.5, 21.0, 21.2, 21.1, 21.4, 21.3, 21.6};
        for (int i = 0; i < 6; i++) {
            send(point("mote-1", values[i], i));
        }
        publish(ModelVersions.series(2));
        for (int i = 6; i < values.length; i++) {
            send(point("mote-1", values[i], i));
        }

        List<SeriesScore> scores = seriesScores.readValuesToList();
        LstmForecasterModel v1 = model(ModelVersions.series(1));
        LstmForecasterModel v2 = model(ModelVersions.series(2));
        SeriesTracker reference = new SeriesTracker(ModelVersions.SERIES_SPEC);
        for (int i = 0; i < values.length; i++) {
            LstmForecasterModel serving = i < 6 ? v1 : v2;
            double forecast = reference.observe(values[i], serving).forecast();
            double next = reference.forecastNext(serving);
            SeriesScore score = scores.get(i);
            assertThat(score.getModelVersion()).isEqualTo(i < 6 ? 1 : 2);
            assertThat(score.getForecast())
                    .as("forecast of point %d", i)
                    .isEqualTo(Double.isNaN(forecast) ? null : forecast);
            assertThat(score.getNextForecast())
                    .as("next after point %d", i)
                    .isEqualTo(Double.isNaN(next) ? null : next);
        }
        // Whichever expert forecast them (ForecastExperts), the whole model's forecast of point 6
        // is version 2's, made again, not version 1's kept one.
        assertThat(scores.get(6).getModelForecast())
                .as("version 2 forecasts again what version 1 forecast for the same point")
                .isEqualTo(
                        v2.forecast(
                                values,
                                6 - ModelVersions.SERIES_SPEC.get(LstmForecasterSpec.WINDOW)))
                .isNotEqualTo(
                        v1.forecast(
                                values,
                                6 - ModelVersions.SERIES_SPEC.get(LstmForecasterSpec.WINDOW)));
        assertThat(scores.get(7).getForecast()).isEqualTo(scores.get(6).getNextForecast());
    }

    private static LstmForecasterModel model(ModelVersion version) {
        try {
            return new LstmForecasterModel(WeightsCodec.decode(version.getWeights().array()));
        } catch (WeightsFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void seriesAreTrackedApart() {
        start();
        publish(ModelVersions.series(1));

        for (int i = 0; i < 4; i++) {
            send(point("a", 10 + i, i));
            send(point("b", 100 - i, i));
        }

        List<SeriesScore> scores = seriesScores.readValuesToList();
        SeriesScore lastOfA = scores.get(6);
        SeriesScore lastOfB = scores.get(7);
        assertThat(lastOfA.getSeriesId()).isEqualTo("a");
        assertThat(lastOfA.getNextForecast()).isBetween(5.0, 20.0);
        assertThat(lastOfB.getNextForecast()).isBetween(90.0, 110.0);
    }

    @Test
    void aNonFiniteSeriesValueGoesToDeadLettersNamingIt() {
        start();
        publish(ModelVersions.series(1));

        send(point("mote-1", Double.NaN, 0));

        assertThat(deadLetters.readValue().getError())
                .contains("series value is NaN, expected a finite number");
        assertThat(seriesScores.isEmpty()).isTrue();
    }

    @Test
    void theRegistryKeepsTheLastKVersionsAndAPinBeyondThemFallsBackToTheLatest() {
        start(ScorerOptions.defaults().withVersionsKept(2));
        for (long v = 1; v <= 3; v++) {
            publish(ModelVersions.text(v));
        }

        control(ControlMode.PIN, 1L);
        send(text("a", "x", null));

        KeyValueStore<String, byte[]> held = driver.getKeyValueStore(StoreNames.REGISTRY);
        List<String> heldKeys = new ArrayList<>();
        held.all().forEachRemaining(entry -> heldKeys.add(entry.key));
        assertThat(heldKeys)
                .containsExactly(
                        StoreNames.versionKey("text-classifier", 2),
                        StoreNames.versionKey("text-classifier", 3));
        assertThat(textScores.readValue().getModelVersion()).isEqualTo(3);
    }

    @Test
    void anUnreadableControlRecordIsRefusedAndChangesNothing() {
        start();
        publish(ModelVersions.text(1));

        controls.pipeInput(
                "text-classifier".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        send(text("a", "x", null));

        assertThat(refusedVersions)
                .singleElement()
                .satisfies(letter -> assertThat(letter.getError()).contains("topic model-control"));
        assertThat(textScores.readValue().getModelVersion()).isEqualTo(1);
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                version.getModel().getBytes(StandardCharsets.UTF_8),
                Topics.MODEL_VERSIONS
                        .valueSerde()
                        .serializer()
                        .serialize("model-versions", version));
    }

    private void control(ControlMode mode, Long version) {
        ModelControl control = new ModelControl("text-classifier", mode, version, "test", T0);
        controls.pipeInput(
                "text-classifier".getBytes(StandardCharsets.UTF_8),
                Topics.MODEL_CONTROL.valueSerde().serializer().serialize("model-control", control));
    }

    private void send(TextEvent event) {
        texts.pipeInput(
                event.getId().getBytes(StandardCharsets.UTF_8),
                Topics.TEXT_EVENTS.valueSerde().serializer().serialize("text-events", event));
    }

    private void send(SeriesPoint point) {
        points.pipeInput(
                point.getSeriesId().getBytes(StandardCharsets.UTF_8),
                Topics.SERIES_POINTS.valueSerde().serializer().serialize("series-points", point));
    }

    private static TextEvent text(String id, String text, String label) {
        return new TextEvent(id, T0, text, label);
    }

    private static SeriesPoint point(String series, double value, int step) {
        return new SeriesPoint(series, T0.plusSeconds(5L * step), value);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
