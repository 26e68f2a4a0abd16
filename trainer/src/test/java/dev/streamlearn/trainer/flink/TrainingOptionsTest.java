package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.pipeline.DeclaredModel;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import dev.streamlearn.trainer.versions.DeltaPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's settings: declared defaults, and refusals that name the setting. */
class TrainingOptionsTest {
    @Test
    void theDefaultsAreTenThousandMiniBatchesTwoSecondsADayOfSilenceAndBatchesUpTo256() {
        TrainingOptions o = TrainingOptions.defaults();
        assertThat(o.publishEveryMiniBatches()).isEqualTo(10_000);
        assertThat(o.publishInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.versions()).isEqualTo(new DeltaPolicy(1000, 256L << 20));
        assertThat(TrainingJobRunner.CHECKPOINT_INTERVAL).isEqualTo(Duration.ofMillis(500));
        assertThat(o.seriesIdleTimeout()).isEqualTo(Duration.ofDays(1));
        assertThat(o.maxBatchSize()).isEqualTo(256);
        assertThat(o.targetLag()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aNonPositiveSettingIsRefusedByName() {
        assertThatThrownBy(() -> TrainingOptions.defaults().withPublishEveryMiniBatches(0))
                .hasMessage("publishEveryMiniBatches = 0, expected >= 1");
        assertThatThrownBy(() -> TrainingOptions.defaults().withPublishInterval(Duration.ZERO))
                .hasMessage("publishInterval = PT0S, expected > 0");
        assertThatThrownBy(() -> TrainingOptions.defaults().withMaxBatchSize(0))
                .hasMessage("maxBatchSize = 0, expected >= 1");
        assertThatThrownBy(() -> TrainingOptions.defaults().withTargetLag(Duration.ZERO))
                .hasMessage("targetLag = PT0S, expected > 0");
    }

    @Test
    void aModelWithAnUnknownHyperParameterIsRefusedBeforeTheJobStarts() {
        assertThatThrownBy(
                        () ->
                                new ModelDefinition(
                                        "m", TextClassifierFamily.INSTANCE, Map.of("vocab", "8")))
                .hasMessageContaining("unknown hyper-parameter 'vocab'");
    }

    @Test
    void aJobTakesManyModelsOfAFamilyButEachNameOnce() {
        ModelDefinition a = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        ModelDefinition b = ModelDefinition.of("other", a.modelSpec());
        assertThat(new TrainingJob(List.of(a, b), TrainingOptions.defaults()).models())
                .containsExactly(a, b);
        assertThatThrownBy(() -> new TrainingJob(List.of(a, a), TrainingOptions.defaults()))
                .hasMessageContaining("model names must be distinct");
    }

    @Test
    void onlyAFamilysDefaultModelOnItsTopicKeepsTheOperatorIdsOfOldSavepoints() {
        ModelDefinition standard = ModelDefinition.defaults(TextClassifierFamily.INSTANCE);
        assertThat(standard.operatorIdSuffix()).isEmpty();
        assertThat(ModelDefinition.of("spam", standard.modelSpec()).operatorIdSuffix())
                .isEqualTo("@spam");
        DeclaredModel elsewhere =
                new DeclaredModel(
                        "text-classifier",
                        TextClassifierFamily.INSTANCE,
                        "tickets",
                        Map.of(),
                        DeclaredModel.PublishPolicy.JOB_DEFAULTS);
        assertThat(ModelDefinition.of(elsewhere).operatorIdSuffix()).isEqualTo("@text-classifier");
    }

    @Test
    void aPipelinesModelsKeepTheirTopicAndPublishPolicy() {
        Pipeline pipeline =
                PipelineFile.parse(
                        "models:\n"
                                + "  - {name: spam, family: text-classifier, publish: {interval: 1s}}\n"
                                + "  - {name: tickets, family: text-classifier, topic: tickets}\n",
                        "p.yaml");
        List<ModelDefinition> models = TrainingFamilies.models(pipeline, Map.of());
        assertThat(models)
                .extracting(ModelDefinition::topic)
                .containsExactly("text-events", "tickets");
        assertThat(models.get(0).publish().intervalOr(Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(TrainingFamilies.models(pipeline, Map.of("learningRate", "0.01")))
                .allMatch(m -> m.spec().get("learningRate").equals("0.01"));
    }
}
