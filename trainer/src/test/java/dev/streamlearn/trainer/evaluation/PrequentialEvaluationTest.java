package dev.streamlearn.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.forecast.Season;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Learning works on real data: test-then-train over the start of each shipped stream beats its
 * baseline. Short slices keep this a unit test; BENCHMARKS.md has the full-stream numbers.
 */
class PrequentialEvaluationTest {

    @Test
    void theTextClassifierBeatsTheMajorityClassOnTheFirst500SpamAssassinMessages() {
        TextEvaluation evaluation = new TextEvaluation(TextClassifierSpec.defaults());
        for (TextEvent e : Datasets.spam(500)) {
            evaluation.accept(e);
        }
        assertThat(evaluation.modelMetrics().count()).isEqualTo(500);
        assertThat(evaluation.modelMetrics().accuracy())
                .isGreaterThan(evaluation.baselineMetrics().accuracy() + 0.05);
        assertThat(evaluation.modelMetrics().logLoss())
                .isLessThan(evaluation.baselineMetrics().logLoss());
    }

    @Test
    void theForecasterBeatsPersistenceOnTheFirst700DaysOfUsBirths() {
        SeriesEvaluation evaluation =
                new SeriesEvaluation(
                        LstmForecasterSpec.defaults()
                                .with(LstmForecasterSpec.WINDOW, 16)
                                .with(LstmForecasterSpec.HIDDEN_SIZE, 16));
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 700);
        for (int i = 0; i < births.length; i++) {
            evaluation.accept(new SeriesPoint("births", Instant.ofEpochMilli(i), births[i]), null);
        }
        assertThat(evaluation.modelMetrics().count()).isEqualTo(700 - 16);
        assertThat(evaluation.modelMetrics().mae())
                .isLessThan(0.9 * evaluation.persistenceMetrics().mae());
    }

    @Test
    void theBaselinesAreScoredOnTheModelsPointsAndTheWeeklySeasonOfUsBirthsIsDetected() {
        // Given the first 700 days of US births and the default baselines
        SeriesEvaluation evaluation =
                new SeriesEvaluation(
                        LstmForecasterSpec.defaults()
                                .with(LstmForecasterSpec.WINDOW, 16)
                                .with(LstmForecasterSpec.HIDDEN_SIZE, 16));
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 700);
        for (int i = 0; i < births.length; i++) {
            evaluation.accept(new SeriesPoint("births", Instant.ofEpochMilli(i), births[i]), null);
        }

        // Then the season is found at the first look, and both seasonal baselines beat
        // persistence by far on a series whose weekday pattern dominates its daily changes
        assertThat(evaluation.seasons())
                .isEqualTo(Map.of("births", new Season(7, Season.Source.DETECTED, 64)));
        assertThat(evaluation.seasonalNaiveMetrics().count()).isEqualTo(700 - 16);
        assertThat(evaluation.autoRegressionMetrics().count()).isEqualTo(700 - 16);
        assertThat(evaluation.seasonalNaiveMetrics().mae())
                .isLessThan(0.6 * evaluation.persistenceMetrics().mae());
        assertThat(evaluation.autoRegressionMetrics().mae())
                .isLessThan(0.6 * evaluation.persistenceMetrics().mae());
        @SuppressWarnings("unchecked")
        Map<String, Double> mase = (Map<String, Double>) evaluation.report().get("mase");
        assertThat(mase.get("seasonalNaive")).isEqualTo(1.0);
        assertThat(mase.get("model"))
                .isEqualTo(
                        evaluation.modelMetrics().mae() / evaluation.seasonalNaiveMetrics().mae());
    }

    @Test
    void anomalyAucIsReportedOnlyWithLabelsAndRowRejectionsAreCounted() {
        SeriesEvaluation evaluation =
                new SeriesEvaluation(
                        LstmForecasterSpec.defaults()
                                .with(LstmForecasterSpec.WINDOW, 4)
                                .with(LstmForecasterSpec.HIDDEN_SIZE, 4));
        for (int i = 0; i < 40; i++) {
            // a flat series with a spike every 10th point, labelled as the anomaly
            boolean spike = i % 10 == 9;
            evaluation.accept(
                    new SeriesPoint("s", Instant.ofEpochMilli(i), spike ? 50.0 : 10.0 + (i % 2)),
                    spike);
        }
        evaluation.rejectRow("data.csv:3: value field 'v' is missing or empty");
        Map<String, Object> report = evaluation.report();
        assertThat(report)
                .containsKeys(
                        "examples",
                        "examplesPerSecond",
                        "model",
                        "baseline",
                        "baselines",
                        "mase",
                        "season",
                        "perSeries",
                        "anomalyAuc",
                        "persistenceAnomalyAuc");
        assertThat((double) report.get("anomalyAuc")).isGreaterThan(0.9);
        assertThat(report.get("rejected"))
                .isEqualTo(
                        Map.of(
                                "count",
                                1L,
                                "first",
                                java.util.List.of(
                                        "data.csv:3: value field 'v' is missing or empty")));
    }
}
