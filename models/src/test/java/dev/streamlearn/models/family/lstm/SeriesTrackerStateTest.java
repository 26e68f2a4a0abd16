package dev.streamlearn.models.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A tracker continued from its saved state scores exactly as the uninterrupted one. */
class SeriesTrackerStateTest {
    private final ModelSpec spec =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 4)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 2);

    @Test
    void aRestoredTrackerContinuesWithIdenticalForecastsAndAnomalyScores() {
        LstmForecasterModel model = randomModel(7);
        double[] series = new Random(3).doubles(40, 10, 20).toArray();
        for (int split = 0; split < series.length; split++) {
            SeriesTracker uninterrupted = new SeriesTracker(spec);
            SeriesTracker first = new SeriesTracker(spec);
            for (int i = 0; i < split; i++) {
                uninterrupted.observe(series[i], model);
                first.observe(series[i], model);
            }

            SeriesTracker continued = SeriesTracker.restore(spec, first.state());

            for (int i = split; i < series.length; i++) {
                SeriesObservation expected = uninterrupted.observe(series[i], model);
                SeriesObservation actual = continued.observe(series[i], model);
                assertThat(Double.valueOf(actual.forecast()))
                        .as("forecast at %d after split %d", i, split)
                        .isEqualTo(Double.valueOf(expected.forecast()));
                assertThat(Double.valueOf(actual.anomalyScore()))
                        .isEqualTo(Double.valueOf(expected.anomalyScore()));
                assertThat(Double.valueOf(actual.persistence()))
                        .isEqualTo(Double.valueOf(expected.persistence()));
            }
            assertThat(Double.valueOf(continued.forecastNext(model)))
                    .isEqualTo(Double.valueOf(uninterrupted.forecastNext(model)));
        }
    }

    @Test
    void aForecastMadeAfterThePreviousPointScoresExactlyAsMakingItAgain() {
        LstmForecasterModel model = randomModel(11);
        double[] series = new Random(5).doubles(30, 10, 20).toArray();
        SeriesTracker computing = new SeriesTracker(spec);
        SeriesTracker reusing = new SeriesTracker(spec);
        double kept = Double.NaN;
        for (double value : series) {
            SeriesObservation expected = computing.observe(value, model);
            SeriesObservation actual = reusing.observe(value, model, kept);
            kept = reusing.modelForecastNext(model);
            assertThat(Double.valueOf(actual.forecast()))
                    .isEqualTo(Double.valueOf(expected.forecast()));
            assertThat(Double.valueOf(actual.anomalyScore()))
                    .isEqualTo(Double.valueOf(expected.anomalyScore()));
        }
    }

    @Test
    void aStateThatCannotFillTheWindowOrHoldsMoreThanItSawIsRefused() {
        SeriesTracker.State tooShort = new SeriesTracker.State(new double[] {1, 2, 3}, 5, 0, 0);
        SeriesTracker.State tooLong = new SeriesTracker.State(new double[] {1, 2, 3, 4}, 3, 0, 0);

        for (SeriesTracker.State state : new SeriesTracker.State[] {tooShort, tooLong}) {
            assertThatThrownBy(() -> SeriesTracker.restore(spec, state))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected from min(seen, window 4) to seen");
        }
    }

    @Test
    void aTrackerKeepsTheLongestSeasonAndOneMoreAndRestoresThem() {
        ModelSpec seasonal = spec.with(LstmForecasterSpec.SEASONS, "6");
        LstmForecasterModel model = randomModel(seasonal, 13);
        double[] series = new Random(9).doubles(30, 10, 20).toArray();
        SeriesTracker uninterrupted = new SeriesTracker(seasonal);
        SeriesTracker first = new SeriesTracker(seasonal);
        for (int i = 0; i < 12; i++) {
            uninterrupted.observe(series[i], model);
            first.observe(series[i], model);
        }
        assertThat(first.state().lastValues())
                .containsExactly(java.util.Arrays.copyOfRange(series, 5, 12));

        SeriesTracker continued = SeriesTracker.restore(seasonal, first.state());

        for (int i = 12; i < series.length; i++) {
            assertThat(Double.valueOf(continued.observe(series[i], model).forecast()))
                    .isEqualTo(Double.valueOf(uninterrupted.observe(series[i], model).forecast()));
        }
    }

    @Test
    void aStateKeptUnderAShorterHistoryContinuesWithTheSeasonalInputsItLacksAtZero() {
        ModelSpec seasonal = spec.with(LstmForecasterSpec.SEASONS, "6");
        SeriesTracker.State windowOnly =
                new SeriesTracker.State(new double[] {1, 2, 3, 4}, 10, 0, 0);

        SeriesTracker restored = SeriesTracker.restore(seasonal, windowOnly);
        SeriesObservation next = restored.observe(5, randomModel(seasonal, 3));

        assertThat(next.hasForecast()).isTrue();
        assertThat(next.window().seasonal()).containsExactly(0f, 0f);
        assertThat(restored.state().lastValues()).containsExactly(1, 2, 3, 4, 5);
    }

    private LstmForecasterModel randomModel(long seed) {
        return randomModel(spec, seed);
    }

    private static LstmForecasterModel randomModel(ModelSpec spec, long seed) {
        int size = ParameterLayout.of(spec).size();
        float[] params = new float[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            params[i] = (float) (random.nextGaussian() * 0.3);
        }
        return new LstmForecasterModel(new ModelWeights(spec, params));
    }
}
