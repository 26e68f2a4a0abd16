package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseAdamTest {
    private static final ModelSpec SPEC = MlpClassifierSpec.defaults();
    private static final float[] GRADIENTS = {0.5f, -0.25f, 2f, -1f};

    private static MiniBatches<Serializable> noBatches() {
        return new MiniBatches<>(8, batch -> Offer.trained(0));
    }

    @Test
    void stepsEveryEntryAsDl4jAdamWithTheTailAtItsOwnRate() {
        // Given the same parameters under DenseAdam and under Dl4jAdam entry by entry
        float[] params = {1f, 2f, 3f, 4f};
        float[] expected = params.clone();
        float[] m = new float[4];
        float[] v = new float[4];
        DenseAdam adam = new DenseAdam(params);

        // When both take two steps, the last entry at a tenth of the rate
        for (int t = 0; t < 2; t++) {
            adam.step(GRADIENTS, 0.01, 3, 0.001);
            for (int i = 0; i < 4; i++) {
                float alpha = Dl4jAdam.stepSize(i < 3 ? 0.01 : 0.001, t);
                Dl4jAdam.update(expected, m, v, i, GRADIENTS[i], alpha);
            }
        }

        // Then they agree to the bit, and two steps are counted
        assertThat(params).containsExactly(expected);
        assertThat(adam.steps()).isEqualTo(2);
    }

    @Test
    void stepsOnlyTheEntriesBeforeTheEnd() {
        float[] params = {1f, 2f, 3f, 4f};
        new DenseAdam(params).step(GRADIENTS, 2, 0.01);
        assertThat(params[0]).isNotEqualTo(1f);
        assertThat(params[1]).isNotEqualTo(2f);
        assertThat(new float[] {params[2], params[3]}).containsExactly(3f, 4f);
    }

    @Test
    void aRestoredAdamContinuesBitwiseIdentically() {
        // Given an Adam that has taken a step and its snapshot with two values of the learner's own
        DenseAdam original = new DenseAdam(new float[] {1f, 2f, 3f, 4f});
        original.step(GRADIENTS, 4, 0.01);
        LearnerSnapshot snapshot = original.snapshot(SPEC, noBatches(), new float[] {7f, 8f});
        assertThat(snapshot.updaterState()).hasSize(10).endsWith(7f, 8f);
        assertThat(snapshot.iterationCount()).isEqualTo(1);

        // When it is restored over the snapshot's parameters and both take the same step
        float[] restoredParams = snapshot.params().clone();
        DenseAdam restored = new DenseAdam(restoredParams);
        restored.restore(snapshot);
        original.step(GRADIENTS, 4, 0.01);
        restored.step(GRADIENTS, 4, 0.01);

        // Then they agree to the bit
        LearnerSnapshot after = original.snapshot(SPEC, noBatches(), new float[0]);
        assertThat(restoredParams).containsExactly(after.params());
        assertThat(restored.snapshot(SPEC, noBatches(), new float[0]).updaterState())
                .containsExactly(after.updaterState());
    }

    @Test
    void refusesASnapshotOfAnotherSizeNamingTheLearnerAndTheSizesExpected() {
        LearnerSnapshot snapshot =
                DenseAdam.snapshot(SPEC, new float[3], new float[6], 0, noBatches());
        assertThatThrownBy(() -> DenseAdam.requireFits(snapshot, "the learner", 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "snapshot of 3 parameters and 6 optimizer values does not fit the"
                                + " learner: expected 4 and 9");
        DenseAdam.requireFits(snapshot, "the learner", 3, 0);
        assertThat(snapshot.pending()).isEqualTo(List.of());
    }
}
