package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesWindowFunction;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
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
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
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
}
