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
            kept = reusing.forecastNext(model);
            assertThat(Double.valueOf(actual.forecast()))
                    .isEqualTo(Double.valueOf(expected.forecast()));
            assertThat(Double.valueOf(actual.anomalyScore()))
                    .isEqualTo(Double.valueOf(expected.anomalyScore()));
        }
    }

    @Test
    void aStateThatDoesNotFitTheWindowIsRefused() {
        SeriesTracker.State tooLong =
                new SeriesTracker.State(new double[] {1, 2, 3, 4, 5}, 5, 0, 0);

        assertThatThrownBy(() -> SeriesTracker.restore(spec, tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected min(seen, window 4)");
    }

    private LstmForecasterModel randomModel(long seed) {
        int size = ParameterLayout.of(spec).size();
        float[] params = new float[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            params[i] = (float) (random.nextGaussian() * 0.3);
        }
        return new LstmForecasterModel(new ModelWeights(spec, params));
    }
}
