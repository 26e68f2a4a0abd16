package dev.streamlearn.trainer.family.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class FastMlpLearnerTest {

    @Test
    void aRestoredSnapshotContinuesBitwiseIdentically() {
        // Given a learner stopped mid-batch and a copy restored from its snapshot
        FastMlpLearner learner = new FastMlpLearner(MlpClassifierSpec.defaults());
        SyntheticXor xor = new SyntheticXor(1, 400, 0.3);
        for (int i = 0; i < 203; i++) {
            offer(learner, xor.next());
        }
        LearnerSnapshot snapshot = learner.snapshot();
        FastMlpLearner restored = FastMlpLearner.restore(snapshot);
        assertThat(restored.pendingExamples()).isEqualTo(3);

        // When both learn the rest
        while (xor.hasNext()) {
            VectorEvent e = xor.next();
            offer(learner, e);
            offer(restored, e);
        }

        // Then they hold the same weights and spec
        assertThat(restored.weights()).isEqualTo(learner.weights());
        assertThat(restored.examplesSeen()).isEqualTo(400);
    }

    @Test
    void vectorsItCannotLearnAreRefusedWithTheReason() {
        FastMlpLearner learner =
                new FastMlpLearner(
                        MlpClassifierSpec.defaults().with(MlpClassifierSpec.MAX_LABELS, 2));
        learner.offer(new double[] {1, 1}, "a");
        learner.offer(new double[] {1, 1}, "b");

        assertThat(learner.offer(new double[] {1, 2, 3}, "a").rejection().reason())
                .isEqualTo("vector of 3 features, expected 2 (the model's inputs)");
        assertThat(learner.offer(new double[] {1, 2}, "c").rejection().reason())
                .contains("all 2 slots (maxLabels) are taken by [a, b]");
        assertThat(learner.offer(new double[] {1, 2}, null).status())
                .isEqualTo(Offer.Status.REJECTED);
        assertThat(learner.examplesSeen()).isEqualTo(2);
    }

    @Test
    void pendingExamplesRoundTripThroughTheCheckpointFormat() throws Exception {
        MlpExample example = new MlpExample(new double[] {0.5, -1e-300}, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MlpClassifierTraining.INSTANCE.writePending(example, new DataOutputStream(bytes));

        MlpExample back =
                (MlpExample)
                        MlpClassifierTraining.INSTANCE.readPending(
                                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(back.features()).containsExactly(example.features());
        assertThat(back.slot()).isEqualTo(3);
    }

    @Test
    void theTrainerTestsBeforeItLearnsAndCountsTheMajorityBaseline() {
        ModelSpec spec = MlpClassifierSpec.defaults();
        MlpTrainer trainer = new MlpTrainer(spec);
        SyntheticXor xor = new SyntheticXor(2, 16, 0.3);
        while (xor.hasNext()) {
            VectorEvent e = xor.next();
            trainer.offer(
                    dev.streamlearn.trainer.training.TrainingInput.labelledVector(
                            "mlp-classifier",
                            null,
                            e.getId(),
                            0,
                            DecodeVector.features(e.getFeatures()),
                            e.getLabel()));
        }

        assertThat(trainer.metrics())
                .containsEntry("examples", 16.0)
                .containsKeys("accuracy", "baseline.accuracy");
        assertThat(trainer.examplesSeen()).isEqualTo(16);
    }

    private static void offer(FastMlpLearner learner, VectorEvent e) {
        learner.offer(DecodeVector.features(e.getFeatures()), e.getLabel());
    }
}
