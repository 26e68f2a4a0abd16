package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.forecast.OnlineAutoRegression;
import dev.streamlearn.models.forecast.SeriesBaselines;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesWindowFunction;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The per-series window state in Flink's operator test harness. */
class SeriesWindowFunctionTest {
    private static final int W = 4;
    private static final Duration IDLE = Duration.ofMinutes(10);

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, TrainingInput>
            harness() throws Exception {
        SeriesWindowFunction f =
                new SeriesWindowFunction(
                        Fixtures.smallSeries(W, 2),
                        TrainingOptions.defaults().withSeriesIdleTimeout(IDLE));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(f),
                        new LstmForecasterTraining.BySeries(),
                        Types.STRING);
        h.setup(JobStreams.TRAINING_INPUT.createSerializer(new SerializerConfigImpl()));
        return h;
    }

    private static void point(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, TrainingInput> h,
            String series,
            long offset,
            double value)
            throws Exception {
        RecordOrigin r =
                Fixtures.seriesRecord(
                        "series-points", 0, offset, Fixtures.point(series, offset, value));
        h.processElement(
                new StreamRecord<>(
                        TrainingInput.seriesPoint(
                                Fixtures.SERIES_MODEL, r, series, offset, value)));
    }

    @Test
    void emitsAWindowOnceWPointsOfTheSeriesWereSeen() throws Exception {
        try (var h = harness()) {
            h.open();
            // Given W points of series a, each reported as a position only
            for (int i = 0; i < W; i++) {
                point(h, "a", i, 10 + i);
            }
            // When the next point arrives
            point(h, "a", W, 20);
            // Then it comes with the W points before it, normalised
            List<TrainingInput> out = h.extractOutputValues();
            assertThat(out.subList(0, W)).allMatch(in -> in instanceof TrainingInput.Consumed);
            assertThat(out.subList(0, W))
                    .extracting(in -> in.origin().offset())
                    .containsExactly(0L, 1L, 2L, 3L);
            assertThat(out.get(W)).isInstanceOf(TrainingInput.SeriesExample.class);
            TrainingInput.SeriesExample example = (TrainingInput.SeriesExample) out.get(W);
            assertThat(example.point()).isEqualTo(20.0);
            assertThat(example.windowLast()).isEqualTo(13.0);
            assertThat(example.window()).hasSize(W);
            assertThat(example.window()[0]).isLessThan(example.window()[W - 1]);
        }
    }

    @Test
    void keepsEachSeriesApart() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < W; i++) {
                point(h, "a", 2L * i, 1);
                point(h, "b", 2L * i + 1, 1000);
            }
            point(h, "a", 100, 1);
            TrainingInput.SeriesExample example =
                    (TrainingInput.SeriesExample) h.extractOutputValues().get(2 * W);
            assertThat(example.id()).isEqualTo("a");
            assertThat(example.windowLast()).isEqualTo(1.0);
        }
    }

    @Test
    void dropsTheStateOfASeriesSilentForTheIdleTimeout() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            for (int i = 0; i < W; i++) {
                point(h, "a", i, i);
            }
            // Each point moved the one idle timer of the series
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(3); // window, timer, baselines
            // When the series stays silent for the idle timeout
            h.setProcessingTime(IDLE.toMillis());
            // Then its window and its timer are gone
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            // And its next point starts a new window instead of completing the old one
            point(h, "a", 99, 5);
            assertThat(h.extractOutputValues().get(W)).isInstanceOf(TrainingInput.Consumed.class);
        }
    }

    @Test
    void examplesCarryTheSeriesBaselineForecastsAcrossASnapshotAndRestore() throws Exception {
        // Given a series whose baselines run beside the window function, as evaluate runs them
        double[] values = new double[40];
        for (int t = 0; t < values.length; t++) {
            values[t] = 10 + (t % 5) + 0.1 * t;
        }
        SeriesBaselines reference =
                new SeriesBaselines(W, OnlineAutoRegression.DEFAULT_FORGETTING, 0);
        List<TrainingInput> out = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (int t = 0; t < 20; t++) {
                point(h, "a", t, values[t]);
            }
            out.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1, 1);
        }
        // When the job is restored from a snapshot mid-series
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (int t = 20; t < values.length; t++) {
                point(h, "a", t, values[t]);
            }
            out.addAll(h.extractOutputValues());
        }
        // Then every example carries the forecasts the uninterrupted baselines made of its point
        for (int t = 0; t < values.length; t++) {
            SeriesBaselines.Forecasts expected = reference.forecastNext();
            reference.observe(values[t]);
            if (t < W) {
                continue;
            }
            TrainingInput.SeriesExample x = (TrainingInput.SeriesExample) out.get(t);
            assertThat(x.seasonalNaive())
                    .as("seasonal naive of point %d", t)
                    .isEqualTo(expected.seasonalNaive());
            assertThat(x.autoRegression())
                    .as("AR of point %d", t)
                    .isEqualTo(expected.autoRegression());
            if (t >= 2 * W) {
                // the AR has learned by then: not persistence any more
                assertThat(x.autoRegression()).isNotEqualTo(x.windowLast());
            }
        }
    }
}
