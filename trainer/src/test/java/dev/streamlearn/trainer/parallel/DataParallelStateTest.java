package dev.streamlearn.trainer.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint formats of the data-parallel learner and combiner ({@link
 * DeltaLearnerStateSerializer}, {@link CombinerSerializer}): what is restored continues as the
 * saved one would have.
 */
class DataParallelStateTest {
    private static final ModelDefinition MODEL =
            ModelDefinition.of(
                    "spam",
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 10)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 4)
                            .with(TextClassifierSpec.BATCH_SIZE, 4));

    private static TrainingInput text(long offset, TextEvent e) {
        return TrainingInput.labelledText(
                "spam",
                new RecordOrigin("texts", 0, offset, -1, null, null),
                e.getId(),
                0,
                e.getText(),
                e.getLabel());
    }

    @Test
    void aRestoredLearnerSendsWhatTheSavedOneWouldHaveSent() throws IOException {
        // Given a learner with a send in flight, a combined state applied, and progress unsent
        List<TextEvent> texts = Datasets.spam(40);
        DeltaLearner saved = new DeltaLearner(MODEL);
        Combiner g = new Combiner(TrainingFamilies.newTrainer(MODEL).weights(), 0, 0);
        saved.rebase(g.whole(7, 1));
        for (int i = 0; i < 16; i++) {
            saved.offer(text(i, texts.get(i)), 0);
        }
        Delta sent = saved.takeDelta();
        g.add(sent, Combiner.Rule.SUM, 1);
        saved.rebase(g.rows(7, 2, sent.rows()));
        for (int i = 16; i < 32; i++) {
            saved.offer(text(i, texts.get(i)), 0);
        }
        DeltaLearner second = new DeltaLearner(MODEL);
        for (int i = 32; i < 36; i++) {
            second.offer(text(i, texts.get(i)), 0);
        }
        second.takeDelta(); // in flight when saved

        // When each is written and read back through the checkpoint format
        DeltaLearner restored = new DeltaLearner(MODEL, roundTrip(saved.state()));
        DeltaLearner restoredSecond = new DeltaLearner(MODEL, roundTrip(second.state()));

        // Then the restored learner's next delta is the saved one's, to float rounding
        Delta expected = saved.takeDelta();
        Delta actual = restored.takeDelta();
        assertThat(actual.examples()).isEqualTo(expected.examples()).isEqualTo(16);
        assertThat(actual.nextOffsets()).isEqualTo(expected.nextOffsets());
        assertThat(actual.learner()).isEqualTo(expected.learner());
        float[] e = expected.dense();
        float[] a = actual.dense();
        assertThat(a.length).isEqualTo(e.length);
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("parameter %d", i).isCloseTo(e[i], within(1e-6f));
        }
        // And it refuses states of the epoch it was saved in, taking G whole from another (no
        // example waits in a part-filled mini-batch: 16 is 4 of them)
        assertThat(restored.inStep()).isFalse();
        assertThat(restored.rebase(g.whole(7, 3))).isFalse();
        assertThat(restored.rebase(g.whole(8, 1))).isTrue();
        // And a send in flight at the save is still in flight
        assertThat(restoredSecond.inFlight()).isEqualTo(1);
        assertThat(restoredSecond.staleExamples()).isEqualTo(4);
    }

    @Test
    void aRestoredCombinerHoldsTheSameWeightsCountersAndOffsets() throws IOException {
        // Given a combiner that added two learners' deltas and published version 3
        List<TextEvent> texts = Datasets.spam(16);
        Combiner c = new Combiner(TrainingFamilies.newTrainer(MODEL).weights(), 3, 5);
        DeltaLearner a = new DeltaLearner(MODEL);
        for (int i = 0; i < 8; i++) {
            a.offer(text(i, texts.get(i)), 0);
        }
        c.add(a.takeDelta(), Combiner.Rule.SUM, 2);
        c.publishTimer = 1234;

        // When it is written and read back
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        CombinerSerializer.INSTANCE.serialize(c, out);
        Combiner back =
                CombinerSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));

        // Then it is the same, bit for bit
        assertThat(back.weights()).isEqualTo(c.weights());
        assertThat(back.sourceOffsets()).isEqualTo(c.sourceOffsets());
        assertThat(back.metrics()).isEqualTo(c.metrics());
        assertThat(back.lastVersion).isEqualTo(3);
        assertThat(back.examples).isEqualTo(8);
        assertThat(back.publishTimer).isEqualTo(1234);
        assertThat(back.lastPublishAt).isEqualTo(5);
    }

    private static DeltaLearnerState roundTrip(DeltaLearnerState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        DeltaLearnerStateSerializer.INSTANCE.serialize(s, out);
        return DeltaLearnerStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }
}
