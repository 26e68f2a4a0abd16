package dev.streamlearn.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.Mapped;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.trainer.learning.Datasets;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The forecaster's goals (issue 16) on the shipped dev sets: one prequential pass in file order,
 * the default spec (fast engine, fixed seed), the same pass as {@code streamlearn evaluate series}
 * (BENCHMARKS.md, "Forecasts that beat online AR"). Deterministic; each pass takes seconds.
 */
class ForecasterGoalsTest {

    @Test
    void usBirthsBeatOnlineArAndTheOldForecaster() throws IOException {
        SeriesEvaluation births =
                pass(
                        LstmForecasterSpec.defaults(),
                        "us-births-1969-1988.csv",
                        null,
                        "births",
                        null);

        assertThat(births.modelMetrics().mae())
                .as("MAE on US births (online AR(32)-RLS: 223.65; the LSTM alone: 279.36)")
                .isLessThan(223)
                .isLessThan(births.autoRegressionMetrics().mae());
    }

    @Test
    void declaredYearlySeasonsTakeUsBirthsBelow210() throws IOException {
        SeriesEvaluation births =
                pass(
                        LstmForecasterSpec.defaults().with(LstmForecasterSpec.SEASONS, "364,365"),
                        "us-births-1969-1988.csv",
                        null,
                        "births",
                        null);

        assertThat(births.modelMetrics().mae()).isLessThan(210);
    }

    @Test
    void co2BeatsOnlineAr() throws IOException {
        SeriesEvaluation co2 =
                pass(LstmForecasterSpec.defaults(), "co2-weekly.csv", null, "co2", null);

        assertThat(co2.modelMetrics().mae())
                .as("MAE on CO2 (online AR(32)-RLS: 0.3485; the LSTM alone: 0.3520)")
                .isLessThan(0.340);
    }

    @Test
    void singleHopSensorsBeatPersistenceAndFlagTheirAnomalies() throws IOException {
        SeriesEvaluation sensors =
                pass(
                        LstmForecasterSpec.defaults(),
                        "sensors-singlehop.csv",
                        "mote_id",
                        "temperature",
                        "label");

        assertThat(sensors.modelMetrics().mae())
                .as("MAE on the single-hop sensors (persistence: 0.01574; the LSTM alone: 0.01752)")
                .isLessThan(0.0157)
                .isLessThan(sensors.persistenceMetrics().mae());
        assertThat(sensors.anomalyAuc())
                .as("anomaly ROC AUC (persistence's |error|: 0.894; the LSTM alone: 0.917)")
                .isGreaterThanOrEqualTo(0.95);
    }

    private static SeriesEvaluation pass(
            ModelSpec spec, String file, String seriesField, String valueField, String labelField)
            throws IOException {
        SeriesEvaluation evaluation = new SeriesEvaluation(spec);
        SeriesFieldMapping mapping = new SeriesFieldMapping(seriesField, valueField, null, file);
        try (FileRows rows = FileRows.open(Datasets.path(file))) {
            while (rows.hasNext()) {
                FileRow row = rows.next();
                Mapped<SeriesPoint> m = mapping.map(row);
                if (m.isRejected()) {
                    continue;
                }
                Boolean anomaly =
                        labelField == null
                                ? null
                                : !"0".equals(row.fields().get(labelField).trim());
                evaluation.accept(m.value(), anomaly);
            }
        }
        return evaluation;
    }
}
