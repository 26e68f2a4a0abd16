package dev.streamlearn.trainer.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Golden checkpoints of the learner state ({@link GoldenLearnerStates}): format 2 keeps the drift
 * watch in a field of its own; format 1, whose watch rode at the end of the prequential sums after
 * a marker, or which had none, still restores.
 */
class LearnerStateFormatsTest {
    private static byte[] golden(String name) throws IOException {
        try (InputStream in = resource(name + ".bin")) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = LearnerStateFormatsTest.class.getResourceAsStream("/checkpoints/" + name);
        assertThat(in).as("test resource checkpoints/%s", name).isNotNull();
        return in;
    }

    private static LearnerState read(byte[] bytes) throws IOException {
        return LearnerStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }

    private static byte[] write(LearnerState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        LearnerStateSerializer.INSTANCE.serialize(state, out);
        return out.getCopyOfBuffer();
    }

    /** The trainer's metrics when the golden files were written. */
    private static Map<String, Double> goldenMetrics() throws IOException {
        Properties p = new Properties();
        try (Reader r =
                new java.io.InputStreamReader(
                        resource("learner-state-format2.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Double> metrics = new TreeMap<>();
        p.forEach((k, v) -> metrics.put((String) k, Double.parseDouble((String) v)));
        return metrics;
    }

    private static Map<String, Double> withoutDrift(Map<String, Double> metrics) {
        Map<String, Double> m = new TreeMap<>(metrics);
        m.keySet().removeIf(k -> k.startsWith("drift."));
        return m;
    }

    /** The same 40 texts, labels still swapped, to each trainer; then its weights. */
    private static float[] continued(ModelTrainer trainer) {
        for (int i = 0; i < 40; i++) {
            boolean spam = i % 3 == 0;
            trainer.offer(
                    new TrainingInput.TextExample(
                            "golden",
                            new RecordOrigin("texts", 0, 900 + i, -1, null, null),
                            "t" + (900 + i),
                            900 + i,
                            (spam ? "offer1 offer2 offer" : "meeting1 meeting2 meeting") + i % 20,
                            spam ? "ham" : "spam"));
        }
        trainer.flush();
        return trainer.weights().params();
    }

    @Test
    void aFormat2CheckpointKeepsTheDriftWatchInAFieldOfItsOwn() throws IOException {
        // Given the golden format-2 checkpoint, taken while the watch boosted the learner
        byte[] bytes = golden("learner-state-format2");

        // When it is read and restored
        LearnerState state = read(bytes);
        ModelTrainer trainer = state.restoreTrainer(GoldenLearnerStates.model());

        // Then the watch is its own field, the sums end without the old marker, and the trainer
        // continues with the metrics it had, the detection and the boost left included
        assertThat(state.hasDrift()).isTrue();
        assertThat(state.driftFormat()).isEqualTo(1);
        assertThat(state.prequential()).doesNotContain(-7.77e77);
        assertThat(new TreeMap<>(trainer.metrics())).isEqualTo(goldenMetrics());
        assertThat(goldenMetrics())
                .containsEntry("drift.detections", 1.0)
                .containsEntry("drift.boostedExamplesLeft", 324.0);
        // And writing it again gives the same bytes
        assertThat(write(state)).isEqualTo(bytes);
        assertThat(trainer.driftState()).containsExactly(state.drift());
    }

    @Test
    void aFormat1CheckpointWithTheWatchAfterTheMarkerContinuesAsFormat2Does() throws IOException {
        // Given the same trainer checkpointed in format 1, its watch at the end of the sums
        LearnerState old = read(golden("learner-state-format1-drift-mark"));
        assertThat(old.hasDrift()).isFalse();

        // When it is restored
        ModelTrainer fromOld = old.restoreTrainer(GoldenLearnerStates.model());
        ModelTrainer fromNew =
                read(golden("learner-state-format2")).restoreTrainer(GoldenLearnerStates.model());

        // Then it has the same metrics and watch, and learns on exactly as the format-2 one
        // (boosted: the boost was resumed)
        assertThat(new TreeMap<>(fromOld.metrics())).isEqualTo(goldenMetrics());
        assertThat(fromOld.driftState()).containsExactly(fromNew.driftState());
        assertThat(continued(fromOld)).containsExactly(continued(fromNew));
        assertThat(fromOld.driftState()).containsExactly(fromNew.driftState());
    }

    @Test
    void aFormat1CheckpointFromBeforeDriftDetectionRestoresWithAFreshWatch() throws IOException {
        // Given a format-1 checkpoint with the prequential sums alone
        LearnerState old = read(golden("learner-state-format1-no-drift"));

        // When it is restored
        ModelTrainer trainer = old.restoreTrainer(GoldenLearnerStates.model());

        // Then the sums are as they were and the watch starts with nothing detected, unboosted
        assertThat(withoutDrift(trainer.metrics())).isEqualTo(withoutDrift(goldenMetrics()));
        assertThat(trainer.metrics())
                .containsEntry("drift.detections", 0.0)
                .containsEntry("drift.boostedExamplesLeft", 0.0)
                .doesNotContainKey("drift.lastExample");
        ModelTrainer boosted =
                read(golden("learner-state-format2")).restoreTrainer(GoldenLearnerStates.model());
        assertThat(continued(trainer)).isNotEqualTo(continued(boosted));

        // And its next checkpoint is format 2, the fresh watch in its own field
        LearnerState again =
                new LearnerState(
                        trainer.learnerSnapshot(),
                        trainer.prequentialSums(),
                        1,
                        trainer.driftState(),
                        trainer.labelCounts(),
                        old.lastVersion(),
                        old.fitsSincePublish(),
                        old.lastLoss(),
                        old.examplesAtLastPublish(),
                        old.lastPublishAt(),
                        old.publishTimer(),
                        old.nextOffsets());
        LearnerState reread = read(write(again));
        assertThat(reread.hasDrift()).isTrue();
        assertThat(reread.restoreTrainer(GoldenLearnerStates.model()).metrics())
                .isEqualTo(trainer.metrics());
    }

    @Test
    void aDriftStateOfAnUnknownFormatIsRefusedWithItsNumber() throws IOException {
        LearnerState state = read(golden("learner-state-format2"));
        LearnerState future =
                new LearnerState(
                        state.learner(),
                        state.prequential(),
                        7,
                        state.drift(),
                        state.labelCounts(),
                        state.lastVersion(),
                        state.fitsSincePublish(),
                        state.lastLoss(),
                        state.examplesAtLastPublish(),
                        state.lastPublishAt(),
                        state.publishTimer(),
                        state.nextOffsets());
        assertThatThrownBy(() -> read(write(future)).restoreTrainer(GoldenLearnerStates.model()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drift watch state format 7 is unknown");
    }
}
