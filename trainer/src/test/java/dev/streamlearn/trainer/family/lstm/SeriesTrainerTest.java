package dev.streamlearn.trainer.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's test-then-train scores the baselines' forecasts on the model's own points. */
class SeriesTrainerTest {
    private static final ModelSpec SPEC =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 4)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 4);

    @Test
    void publishesTheSeasonalNaiveAndArMaesBesidePersistencesAndCarriesThemAcrossARestore() {
        // Given examples whose seasonal naive forecast is 1 off and whose AR forecast is 3 off
        ModelTrainer trainer = LstmForecasterTraining.INSTANCE.newTrainer(SPEC);
        SeriesWindows windows = new SeriesWindows(SPEC);
        for (int t = 0; t < 20; t++) {
            double[] last = {t, t + 1, t + 2, t + 3};
            NormalisedWindow w = windows.normalise(last, 0);
            double next = t + 4;
            trainer.offer(
                    new TrainingInput.SeriesPoint(
                                    "m",
                                    new RecordOrigin("series-points", 0, t, 0, null, null),
                                    "s",
                                    t,
                                    next)
                            .withWindow(w, next + 1, next - 3));
        }
        // When the trainer reports its metrics
        Map<String, Double> metrics = trainer.metrics();
        // Then the two baselines are there, beside persistence (1 off too)
        assertThat(metrics.get("seasonalNaive.mae")).isCloseTo(1.0, within(1e-9));
        assertThat(metrics.get("autoRegression.mae")).isCloseTo(3.0, within(1e-9));
        assertThat(metrics.get("autoRegression.fadingMae")).isCloseTo(3.0, within(1e-9));
        assertThat(metrics.get("baseline.mae")).isCloseTo(1.0, within(1e-9));

        ModelTrainer restored = LstmForecasterTraining.INSTANCE.newTrainer(SPEC);
        restored.restoreMetrics(trainer.metricsState(), Map.of());
        assertThat(restored.metrics().get("autoRegression.mae")).isEqualTo(3.0);
    }

    @Test
    void examplesWithoutBaselineForecastsPublishNone() {
        ModelTrainer trainer = LstmForecasterTraining.INSTANCE.newTrainer(SPEC);
        NormalisedWindow w = new SeriesWindows(SPEC).normalise(new double[] {1, 2, 3, 4}, 0);
        trainer.offer(
                new TrainingInput.SeriesPoint(
                                "m",
                                new RecordOrigin("series-points", 0, 0, 0, null, null),
                                "s",
                                0,
                                5)
                        .withWindow(w));

        assertThat(trainer.metrics()).doesNotContainKey("autoRegression.mae").containsKey("mae");
    }
}
