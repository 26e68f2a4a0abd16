package dev.streamlearn.trainer.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.Snapshots;
import dev.streamlearn.trainer.state.LearnerState;
import dev.streamlearn.trainer.state.LearnerStateSerializer;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FastForecasterLearnerTest {
    /** A small spec keeps these tests fast; the behaviour does not depend on size. */
    private static final ModelSpec FAST =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 8)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 8)
                    .with(LstmForecasterSpec.BATCH_SIZE, 4)
                    .with(LstmForecasterSpec.ENGINE, Engine.FAST);

    private static final int W = 8;

    private final double[] births = Datasets.series("us-births-1969-1988.csv", "births", 160);
    private final SeriesWindows windows = new SeriesWindows(FAST);

    private Offer offer(SeriesLearner learner, int i) {
        return learner.offer(windows.normalise(births, i), births[i + W]);
    }

    @Test
    void theSpecsEngineChoosesTheLearner() {
        assertThat(LstmForecasterSpec.defaults().get(LstmForecasterSpec.ENGINE))
                .isEqualTo(Engine.FAST);
        assertThat(LstmForecasterTraining.INSTANCE.newLearner(FAST))
                .isInstanceOf(FastForecasterLearner.class);
        assertThat(
                        LstmForecasterTraining.INSTANCE.newLearner(
                                FAST.with(LstmForecasterSpec.ENGINE, Engine.DL4J)))
                .isInstanceOf(ForecasterLearner.class);
    }

    @Test
    void aRestoredLearnerContinuesBitwiseIdentically() throws Exception {
        // Given a learner that has fitted some batches and holds a partly filled one
        FastForecasterLearner original = new FastForecasterLearner(FAST);
        for (int i = 0; i < 50; i++) {
            offer(original, i);
        }
        assertThat(original.pendingExamples()).isEqualTo(2);
        // When its snapshot goes through the checkpoint serializer and seeds a new learner
        SeriesLearner restored =
                LstmForecasterTraining.INSTANCE.restoreLearner(checkpointed(original.snapshot()));
        assertThat(restored).isInstanceOf(FastForecasterLearner.class);
        // Then both learn the rest of the stream to the same bits, and forecast alike
        for (int i = 50; i + W < births.length; i++) {
            assertThat(offer(restored, i)).isEqualTo(offer(original, i));
        }
        assertThat(restored.weights().params()).isEqualTo(original.weights().params());
        assertThat(restored.snapshot().updaterState())
                .isEqualTo(original.snapshot().updaterState());
        assertThat(restored.examplesSeen()).isEqualTo(original.examplesSeen());
        assertThat(((FastForecasterLearner) restored).steps()).isEqualTo(original.steps());
        NormalisedWindow next = windows.normalise(births, 100);
        assertThat(restored.model().forecast(next)).isEqualTo(original.model().forecast(next));
    }

    @Test
    void restoringWithoutTheMomentsWouldNotContinueIdentically() throws Exception {
        // Guards the test above: Adam's moments in the snapshot do matter.
        FastForecasterLearner original = new FastForecasterLearner(FAST);
        for (int i = 0; i < 48; i++) {
            offer(original, i);
        }
        LearnerSnapshot s = original.snapshot();
        FastForecasterLearner restored =
                FastForecasterLearner.restore(
                        new LearnerSnapshot(
                                s.kind(),
                                s.spec(),
                                s.params(),
                                new float[s.updaterState().length],
                                s.iterationCount(),
                                0,
                                s.pending(),
                                s.examplesSeen()));
        for (int i = 48; i < 56; i++) {
            offer(original, i);
            offer(restored, i);
        }
        assertThat(restored.weights().params()).isNotEqualTo(original.weights().params());
    }

    @Test
    void aCheckpointWithoutAnEngineIsDl4jsAndContinuesWithDl4j() {
        // Given a checkpoint written before the engine existed: DL4J's parameters, no engine
        ForecasterLearner old =
                new ForecasterLearner(FAST.with(LstmForecasterSpec.ENGINE, Engine.DL4J));
        for (int i = 0; i < 20; i++) {
            offer(old, i);
        }
        LearnerSnapshot withoutEngine = Snapshots.withoutSpecEntry(old.snapshot(), Engine.NAME);
        // When it is restored, then DL4J continues it, with the same weights
        SeriesLearner restored = LstmForecasterTraining.INSTANCE.restoreLearner(withoutEngine);
        assertThat(restored).isInstanceOf(ForecasterLearner.class);
        assertThat(restored.weights().params()).isEqualTo(old.weights().params());
    }

    @Test
    void theScoringModelFollowsTheWeightsInPlaceAndForecastsAsAFreshOne() {
        FastForecasterLearner learner = new FastForecasterLearner(FAST);
        LstmForecasterModel shared = learner.model();
        for (int i = 0; i < 40; i++) {
            learner.model();
            offer(learner, i);
        }
        assertThat(learner.fits()).isEqualTo(10);
        assertThat(learner.model()).isSameAs(shared);
        LstmForecasterModel fresh = new LstmForecasterModel(learner.weights());
        for (int i = 40; i < 60; i++) {
            NormalisedWindow w = windows.normalise(births, i);
            assertThat(shared.forecast(w)).isEqualTo(fresh.forecast(w));
        }
    }

    @Test
    void aMiniBatchWithANonFiniteLossIsNotApplied() {
        FastForecasterLearner learner = new FastForecasterLearner(FAST);
        for (int i = 0; i < 16; i++) {
            offer(learner, i);
        }
        // Poison the output bias (every example reads it), as a NaN batch would.
        float[] poisoned = learner.weights().params();
        poisoned[ParameterLayout.of(FAST).block("1_b").offset()] = Float.NaN;
        learner.startFrom(new ModelWeights(FAST, poisoned));
        LearnerSnapshot before = learner.snapshot();
        Offer last = null;
        for (int i = 16; i < 20; i++) {
            last = offer(learner, i);
        }
        assertThat(last.status()).isEqualTo(Offer.Status.REVERTED);
        assertThat(last.score()).isNaN();
        assertThat(learner.reverts()).isEqualTo(1);
        // Adam's moments are untouched (the linear part, fitted per example, moved on)
        int moments = 2 * ParameterLayout.of(FAST).size();
        assertThat(java.util.Arrays.copyOf(learner.snapshot().updaterState(), moments))
                .isEqualTo(java.util.Arrays.copyOf(before.updaterState(), moments));
        assertThat(learner.steps()).isEqualTo(before.iterationCount());
    }

    @Test
    void refusesWhatTheDl4jLearnerRefusesWithTheSameReasons() {
        ForecasterLearner dl4j =
                new ForecasterLearner(FAST.with(LstmForecasterSpec.ENGINE, Engine.DL4J));
        FastForecasterLearner fast = new FastForecasterLearner(FAST);
        NormalisedWindow good = windows.normalise(births, 0);
        NormalisedWindow shortWindow = new NormalisedWindow(new float[3], 1, 1);
        float[] holed = good.inputs().clone();
        holed[2] = Float.NaN;
        NormalisedWindow withNaN = new NormalisedWindow(holed, good.last(), good.scale());
        for (Object[] c :
                new Object[][] {
                    {good, Double.NaN}, {good, 1e13}, {shortWindow, 1.0}, {withNaN, 1.0}
                }) {
            Offer expected = dl4j.offer((NormalisedWindow) c[0], (Double) c[1]);
            assertThat(expected.status()).isEqualTo(Offer.Status.REJECTED);
            assertThat(fast.offer((NormalisedWindow) c[0], (Double) c[1])).isEqualTo(expected);
        }
        assertThat(fast.examplesSeen()).isZero();
    }

    /** Through the serializer Flink checkpoints the learner with. */
    private static LearnerSnapshot checkpointed(LearnerSnapshot snapshot) throws Exception {
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
