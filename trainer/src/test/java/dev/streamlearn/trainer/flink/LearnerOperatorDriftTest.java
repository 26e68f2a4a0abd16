package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift detection in the learner operator (issue 17 item 5): a text stream whose labels are swapped
 * at a known example is detected, acted on, and recorded in the training metrics, across a
 * checkpoint.
 */
class LearnerOperatorDriftTest {
    private static final int SWAP_AT = 1_500;
    private static final int END = 2_500;
    private static List<TextEvent> spam;

    @BeforeAll
    static void readData() {
        spam = Datasets.spam(END);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion>
            harness() throws Exception {
        TrainingOptions options =
                TrainingOptions.defaults()
                        .withPublishEveryMiniBatches(50)
                        .withPublishInterval(Duration.ofHours(1));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new LearnerOperator(List.of(Fixtures.smallText(4)), options),
                        new TrainingJob.ByModel(),
                        Types.STRING);
        h.setup(
                new AvroTypeInfo<>(ModelVersion.class)
                        .createSerializer(new SerializerConfigImpl()));
        return h;
    }

    /** SpamAssassin in file order, spam and ham swapped from {@link #SWAP_AT} on. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            TextEvent e = TextEvent.newBuilder(spam.get(i)).build();
            if (i >= SWAP_AT) {
                e.setLabel(e.getLabel().equals("spam") ? "ham" : "spam");
            }
            h.processElement(new StreamRecord<>(Fixtures.labelled(i, e)));
        }
    }

    private static Map<String, Double> lastMetrics(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h) {
        var records = h.getSideOutput(JobStreams.TRAINING_METRICS);
        TrainingMetrics last = null;
        for (StreamRecord<TrainingMetrics> r : records) {
            last = r.getValue();
        }
        return last.getMetrics();
    }

    @Test
    void swappedLabelsAreDetectedActedOnAndRecordedInTheTrainingMetrics() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var h = harness()) {
            h.open();
            // Given a model that learned 1,500 mails, then sees spam and ham swapped
            feed(h, 0, SWAP_AT);
            assertThat(lastMetrics(h)).containsEntry("drift.detections", 0.0);
            feed(h, SWAP_AT, SWAP_AT + 300);

            // Then within 300 examples the swap is detected, and the head relearns boosted
            Map<String, Double> metrics = lastMetrics(h);
            assertThat(metrics).containsEntry("drift.detections", 1.0);
            assertThat(metrics.get("drift.lastExample")).isBetween(SWAP_AT + 1.0, SWAP_AT + 300.0);
            assertThat(metrics.get("drift.lastStatistic")).isGreaterThan(0.3);
            assertThat(metrics.get("drift.boostedExamplesLeft")).isPositive();
            // And the published version carries the same evidence
            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions.get(versions.size() - 1).getMetrics())
                    .containsEntry("drift.detections", 1.0);
            // And one DRIFT record for model-events names the version that drifted and why
            var events = h.getSideOutput(JobStreams.MODEL_EVENTS);
            assertThat(events).hasSize(1);
            ModelEvent event = events.peek().getValue();
            assertThat(event.getModel()).isEqualTo(Fixtures.TEXT_MODEL);
            assertThat(event.getDecision()).isEqualTo(GateDecision.DRIFT);
            assertThat(event.getVersion()).isEqualTo((long) SWAP_AT / (4 * 50));
            assertThat(event.getDifferenceBound()).isEqualTo(metrics.get("drift.lastStatistic"));
            assertThat(event.getEvents()).isPositive();
            assertThat(event.getReason())
                    .contains("ADWIN")
                    .contains("action: learning rate x10.0 for 500 examples");
            checkpoint = h.snapshot(1, 1);
        }

        // When the operator restarts from that checkpoint and learns the rest
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            feed(h, SWAP_AT + 300, END);

            // Then the detection is still counted, once, and the swapped labels are learned
            Map<String, Double> metrics = lastMetrics(h);
            assertThat(metrics).containsEntry("drift.detections", 1.0);
            assertThat(metrics).containsEntry("drift.boostedExamplesLeft", 0.0);
            assertThat(metrics.get("fadingAccuracy")).isGreaterThan(0.8);
        }
    }
}
