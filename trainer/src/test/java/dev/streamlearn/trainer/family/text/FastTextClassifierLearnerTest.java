package dev.streamlearn.trainer.family.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.Snapshots;
import dev.streamlearn.trainer.state.LearnerState;
import dev.streamlearn.trainer.state.LearnerStateSerializer;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FastTextClassifierLearnerTest {
    /** A small spec keeps these tests fast; the behaviour does not depend on size. */
    private static final ModelSpec FAST =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 16)
                    .with(TextClassifierSpec.MAX_LABELS, 3)
                    .with(TextClassifierSpec.ENGINE, Engine.FAST);

    private final List<TextEvent> spam = Datasets.spam(140);

    @Test
    void theSpecsEngineChoosesTheLearner() {
        assertThat(TextClassifierSpec.defaults().get(TextClassifierSpec.ENGINE))
                .isEqualTo(Engine.FAST);
        assertThat(TextClassifierTraining.INSTANCE.newLearner(FAST))
                .isInstanceOf(FastTextClassifierLearner.class);
        assertThat(
                        TextClassifierTraining.INSTANCE.newLearner(
                                FAST.with(TextClassifierSpec.ENGINE, Engine.DL4J)))
                .isInstanceOf(TextClassifierLearner.class);
    }

    @Test
    void aRestoredLearnerContinuesBitwiseIdentically() throws Exception {
        // Given a learner that has fitted some batches and holds a partly filled one
        FastTextClassifierLearner original = new FastTextClassifierLearner(FAST);
        for (TextEvent e : spam.subList(0, 61)) {
            original.offer(e.getText(), e.getLabel());
        }
        assertThat(original.pendingExamples()).isEqualTo(5);
        // When its snapshot goes through the checkpoint serializer and seeds a new learner
        TextLearner restored =
                TextClassifierTraining.INSTANCE.restoreLearner(checkpointed(original.snapshot()));
        assertThat(restored).isInstanceOf(FastTextClassifierLearner.class);
        // Then both learn the rest of the stream to the same bits, and score alike
        for (TextEvent e : spam.subList(61, 140)) {
            assertThat(restored.offer(e.getText(), e.getLabel()))
                    .isEqualTo(original.offer(e.getText(), e.getLabel()));
        }
        assertThat(restored.weights().params()).isEqualTo(original.weights().params());
        assertThat(restored.snapshot().updaterState())
                .isEqualTo(original.snapshot().updaterState());
        assertThat(restored.spec()).isEqualTo(original.spec());
        assertThat(restored.examplesSeen()).isEqualTo(original.examplesSeen());
        assertThat(((FastTextClassifierLearner) restored).steps()).isEqualTo(original.steps());
    }

    @Test
    void restoringWithoutEachRowsLastIterationWouldNotContinueIdentically() throws Exception {
        // Guards the test above: the per-row bookkeeping in the snapshot does matter.
        FastTextClassifierLearner original = new FastTextClassifierLearner(FAST);
        for (TextEvent e : spam.subList(0, 64)) {
            original.offer(e.getText(), e.getLabel());
        }
        LearnerSnapshot s = original.snapshot();
        float[] state = s.updaterState().clone();
        int moments = 2 * s.params().length;
        java.util.Arrays.fill(state, moments, state.length, 0f);
        FastTextClassifierLearner restored =
                FastTextClassifierLearner.restore(
                        new LearnerSnapshot(
                                s.kind(),
                                s.spec(),
                                s.params(),
                                state,
                                s.iterationCount(),
                                0,
                                s.pending(),
                                s.examplesSeen()));
        for (TextEvent e : spam.subList(64, 80)) {
            original.offer(e.getText(), e.getLabel());
            restored.offer(e.getText(), e.getLabel());
        }
        assertThat(restored.weights().params()).isNotEqualTo(original.weights().params());
    }

    @Test
    void aCheckpointWithoutAnEngineIsDl4jsAndContinuesWithDl4j() throws Exception {
        // Given a checkpoint written before the engine existed: DL4J's parameters, no engine
        ModelSpec dl4jSpec = FAST.with(TextClassifierSpec.ENGINE, Engine.DL4J);
        TextClassifierLearner old = new TextClassifierLearner(dl4jSpec);
        for (TextEvent e : spam.subList(0, 20)) {
            old.offer(e.getText(), e.getLabel());
        }
        LearnerSnapshot withoutEngine = Snapshots.withoutSpecEntry(old.snapshot(), Engine.NAME);
        // When it is restored, then DL4J continues it, with the same weights
        TextLearner restored = TextClassifierTraining.INSTANCE.restoreLearner(withoutEngine);
        assertThat(restored).isInstanceOf(TextClassifierLearner.class);
        assertThat(restored.weights().params()).isEqualTo(old.weights().params());
    }

    @Test
    void theScoringModelFollowsTheWeightsInPlaceAndScoresAsAFreshOne() {
        FastTextClassifierLearner learner = new FastTextClassifierLearner(FAST);
        for (TextEvent e : spam.subList(0, 40)) {
            learner.model();
            learner.offer(e.getText(), e.getLabel());
        }
        TextClassifierModel shared = learner.model();
        TextClassifierModel fresh = new TextClassifierModel(learner.weights());
        for (TextEvent e : spam.subList(40, 60)) {
            assertThat(shared.predict(e.getText()).probabilities())
                    .isEqualTo(fresh.predict(e.getText()).probabilities());
        }
        // It reads the learner's own array (no copy per fit) and stays the same object while the
        // labels do not change.
        assertThat(learner.fits()).isEqualTo(5);
        assertThat(shared.labels()).containsExactlyInAnyOrder("ham", "spam");
        for (TextEvent e : spam.subList(40, 48)) {
            learner.offer(e.getText(), e.getLabel());
        }
        assertThat(learner.model()).isSameAs(shared);
        assertThat(learner.fits()).isEqualTo(6);
    }

    @Test
    void aMiniBatchWithANonFiniteLossIsNotApplied() {
        FastTextClassifierLearner learner = new FastTextClassifierLearner(FAST);
        for (TextEvent e : spam.subList(0, 16)) {
            learner.offer(e.getText(), e.getLabel());
        }
        // Poison the output bias (every example reads it), as a NaN batch would.
        ModelSpec spec = learner.spec();
        float[] poisoned = learner.weights().params();
        int bias = poisoned.length - spec.get(TextClassifierSpec.MAX_LABELS);
        poisoned[bias] = Float.NaN;
        learner.startFrom(new dev.streamlearn.models.kernel.ModelWeights(spec, poisoned));
        LearnerSnapshot before = learner.snapshot();
        Offer last = null;
        for (TextEvent e : spam.subList(16, 24)) {
            last = learner.offer(e.getText(), e.getLabel());
        }
        assertThat(last.status()).isEqualTo(Offer.Status.REVERTED);
        assertThat(last.score()).isNaN();
        assertThat(learner.reverts()).isEqualTo(1);
        assertThat(learner.snapshot().updaterState()).isEqualTo(before.updaterState());
        assertThat(learner.steps()).isEqualTo(before.iterationCount());
    }

    @Test
    void refusesTextsItCannotLearnWithAReasonAndGrowsForANewLabel() {
        FastTextClassifierLearner learner = new FastTextClassifierLearner(FAST);
        assertThat(learner.offer("!!! ...", "spam").rejection().reason()).contains("has no token");
        assertThat(learner.offer("hello", null).rejection().reason()).contains("label is missing");
        assertThat(learner.offer("hello", "a,b").rejection().reason())
                .contains("must not contain ','");
        learner.offer("one", "a");
        learner.offer("two", "b");
        learner.offer("three", "c");
        assertThat(learner.offer("four", "d").status()).isEqualTo(Offer.Status.BUFFERED);
        assertThat(learner.examplesSeen()).isEqualTo(4);
        assertThat(learner.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(6);
        assertThat(learner.model().labels()).containsExactly("a", "b", "c", "d");
    }

    /** Through the serializer Flink checkpoints the learner with. */
    static LearnerSnapshot checkpointed(LearnerSnapshot snapshot) throws Exception {
        LearnerState state =
                new LearnerState(
                        snapshot,
                        new double[0],
                        Map.of(),
                        0,
                        0,
                        0,
                        0,
                        0,
                        LearnerState.NO_TIMER,
                        Map.of());
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        LearnerStateSerializer.INSTANCE.serialize(state, out);
        return LearnerStateSerializer.INSTANCE
                .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))
                .learner();
    }
}
