package dev.streamlearn.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.trainer.TrainingFamilies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline file's {@code drift} block reaches the model's trainer, and survives a restore. */
class DriftPolicyTest {
    private static ModelDefinition declared(String drift) {
        return ModelDefinition.of(
                PipelineFile.parse(
                                "models:\n  - name: sensors\n    family: lstm-forecaster\n" + drift,
                                "p.yaml")
                        .models()
                        .get(0));
    }

    @Test
    void aModelsDriftBlockSetsItsDetectorsDeltaAndCooldown() {
        // Given a forecaster declared with its own delta and cooldown
        ModelDefinition model = declared("    drift: {delta: 1e-7, cooldown: 1000}\n");

        // When its trainer is made, and when it is restored from that trainer's checkpoint
        ModelTrainer trainer = TrainingFamilies.newTrainer(model);
        ModelTrainer restored =
                TrainingFamilies.restoreTrainer(
                        model, trainer.learnerSnapshot(), trainer.prequentialSums(), Map.of());
        restored.restoreDrift(DriftWatch.STATE_FORMAT, trainer.driftState());

        // Then both watch with them, and keep the family's other defaults (recording only)
        for (ModelTrainer t : new ModelTrainer[] {trainer, restored}) {
            DriftWatch.Options o = t.driftWatch().options();
            assertThat(o.detector().delta()).isEqualTo(1e-7);
            assertThat(o.cooldown()).isEqualTo(1000);
            assertThat(o.warmUp()).isEqualTo(DriftWatch.Options.DEFAULT_WARM_UP);
            assertThat(o.boostFactor()).isEqualTo(1);
        }
    }

    @Test
    void withoutOneTheFamilysDefaultsApply() {
        DriftWatch.Options o = TrainingFamilies.newTrainer(declared("")).driftWatch().options();
        assertThat(o).isEqualTo(DriftWatch.Options.defaults(declared("").modelSpec()));
    }
}
