package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.lstm.DecodeSeries;
import dev.streamlearn.trainer.family.text.DecodeText;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Decoding routes what cannot be read to dead letters, and still counts its position. */
class DecodeTest {
    private static OneInputStreamOperatorTestHarness<RecordOrigin, TrainingInput> harness(
            ProcessFunction<RecordOrigin, TrainingInput> f) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(f));
        h.setup(JobStreams.TRAINING_INPUT.createSerializer(new SerializerConfigImpl()));
        h.open();
        return h;
    }

    private static RecordOrigin garbage(String topic, long offset) {
        return new RecordOrigin(
                topic, 2, offset, 0, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    }

    @Test
    void anUnreadableTextRecordBecomesADeadLetterAndItsPositionStillReachesTheLearner()
            throws Exception {
        try (var h = harness(new DecodeText(Fixtures.TEXT_MODEL))) {
            h.processElement(new StreamRecord<>(garbage("text-events", 41)));
            DeadLetter d = h.getSideOutput(JobStreams.DEAD_LETTERS).peek().getValue();
            assertThat(d.getSourceTopic()).isEqualTo("text-events");
            assertThat(d.getPartition()).isEqualTo(2);
            assertThat(d.getOffset()).isEqualTo(41L);
            assertThat(d.getStage()).isEqualTo("trainer");
            assertThat(d.getError()).contains("text-events").contains("TextEvent");
            assertThat(d.getOriginalValue().remaining()).isEqualTo(3);
            TrainingInput position = h.extractOutputValues().get(0);
            assertThat(position).isInstanceOf(TrainingInput.Consumed.class);
            assertThat(position.origin().offset()).isEqualTo(41L);
        }
    }

    @Test
    void anUnlabelledTextTrainsNothingButIsCounted() throws Exception {
        try (var h = harness(new DecodeText(Fixtures.TEXT_MODEL))) {
            TextEvent e = new TextEvent("e1", Instant.EPOCH, "hello there", null);
            h.processElement(new StreamRecord<>(Fixtures.textRecord("text-events", 0, 5, e)));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .matches(
                            in ->
                                    in instanceof TrainingInput.Consumed
                                            && in.origin().offset() == 5);
            assertThat(h.getSideOutput(JobStreams.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void aSeriesPointWithANonFiniteValueBecomesADeadLetter() throws Exception {
        try (var h = harness(new DecodeSeries(Fixtures.SERIES_MODEL))) {
            h.processElement(
                    new StreamRecord<>(
                            Fixtures.seriesRecord(
                                    "series-points", 0, 3, Fixtures.point("s", 0, Double.NaN))));
            assertThat(h.getSideOutput(JobStreams.DEAD_LETTERS).peek().getValue().getError())
                    .isEqualTo("series s: value is NaN, expected a finite number");
            assertThat(h.getSideOutput(DecodeSeries.CONSUMED).peek().getValue().origin().offset())
                    .isEqualTo(3L);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
