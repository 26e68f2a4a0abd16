package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The arguments of {@code flink run ... TrainingJobMain}: the same flags and defaults as ever. */
class TrainingJobMainTest {
    private static TrainingJobMain parse(String... args) {
        TrainingJobMain main = new TrainingJobMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void withoutArgumentsItTrainsEveryFamilyFromTheLocalBroker() {
        TrainingJobMain main = parse();
        assertThat(main.bootstrap).isEqualTo("127.0.0.1:9092");
        assertThat(main.model).isEqualTo("all");
        assertThat(main.name).isEqualTo(TrainingJobRunner.JOB_NAME);
        assertThat(main.checkpointDir).isNull();
        assertThat(TrainingFamilies.defaultModels(main.model, main.overrides.values()))
                .extracting(ModelDefinition::kind)
                .containsExactly(LstmForecasterFamily.INSTANCE, TextClassifierFamily.INSTANCE);
    }

    @Test
    void everyFlagIsRead() {
        TrainingJobMain main =
                parse(
                        "--bootstrap", "kafka:9092",
                        "--model", "text",
                        "--name", "other",
                        "--checkpoint-dir", "file:///tmp/c");
        assertThat(main.bootstrap).isEqualTo("kafka:9092");
        assertThat(TrainingFamilies.defaultModels(main.model, main.overrides.values()))
                .extracting(ModelDefinition::kind)
                .containsExactly(TextClassifierFamily.INSTANCE);
        assertThat(main.name).isEqualTo("other");
        assertThat(main.checkpointDir).isEqualTo("file:///tmp/c");
    }

    @Test
    void aPipelineFileSaysWhichModelsAndAModelChoiceBesideItIsRefused(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(
                file,
                "models:\n"
                        + "  - {name: spam, family: text-classifier}\n"
                        + "  - {name: tickets, family: text-classifier, topic: tickets}\n");
        TrainingJobMain main = parse("--pipeline", file.toString(), "--spec", "embeddingSize=8");
        assertThat(main.pipeline.models(main.model, main.overrides.values()))
                .extracting(m -> m.name() + "@" + m.topic() + "/" + m.spec().get("embeddingSize"))
                .containsExactly("spam@text-events/8", "tickets@tickets/8");

        TrainingJobMain both = parse("--pipeline", file.toString(), "--model", "text");
        assertThatThrownBy(() -> both.pipeline.models(both.model, both.overrides.values()))
                .hasMessageContaining("--model text with --pipeline")
                .hasMessageContaining("give one or the other");
        TrainingJobMain missing = parse("--pipeline", dir.resolve("nope.yaml").toString());
        assertThatThrownBy(() -> missing.pipeline.models("all", Map.of()))
                .hasMessageContaining("nope.yaml: cannot read it");
    }

    @Test
    void anUnknownArgumentOrModelIsRefusedByName() {
        assertThatThrownBy(() -> parse("--bootstrp", "x"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--bootstrp");
        assertThatThrownBy(() -> TrainingFamilies.defaultModels("images", Map.of()))
                .hasMessage(
                        "--model images: expected series, text, vector, image, attention or all");
    }

    @Test
    void aSpecOverrideReachesEveryModelThatHasItAndAnUnknownOneIsRefused() {
        TrainingJobMain main = parse("--spec", "engine=dl4j", "--spec", "embeddingSize=32");

        List<ModelDefinition> models =
                TrainingFamilies.defaultModels(main.model, main.overrides.values());

        ModelDefinition text =
                models.stream()
                        .filter(m -> m.kind() == TextClassifierFamily.INSTANCE)
                        .findFirst()
                        .orElseThrow();
        assertThat(text.spec())
                .containsEntry("engine", "dl4j")
                .containsEntry("embeddingSize", "32");
        ModelDefinition series =
                models.stream()
                        .filter(m -> m.kind() == LstmForecasterFamily.INSTANCE)
                        .findFirst()
                        .orElseThrow();
        assertThat(series.spec()).doesNotContainKey("embeddingSize");
        assertThatThrownBy(
                        () ->
                                TrainingFamilies.defaultModels(
                                        "series", Map.of("embeddingSize", "32")))
                .hasMessageStartingWith(
                        "--spec embeddingSize: no model trained here has that hyper-parameter");
        assertThatThrownBy(() -> TrainingFamilies.defaultModels("text", Map.of("engine", "gpu")))
                .hasMessageContaining("engine");
    }

    @Test
    void miniBatchesGrowUpTo256WhileTheLagIsOver1sUnlessToldOtherwise() {
        TrainingOptions defaults = parse().miniBatches.applyTo(TrainingOptions.defaults());
        assertThat(defaults.maxBatchSize()).isEqualTo(256);
        assertThat(defaults.targetLag()).isEqualTo(Duration.ofSeconds(1));

        TrainingOptions set =
                parse("--max-batch-size", "64", "--target-lag-ms", "300")
                        .miniBatches
                        .applyTo(TrainingOptions.defaults());
        assertThat(set.maxBatchSize()).isEqualTo(64);
        assertThat(set.targetLag()).isEqualTo(Duration.ofMillis(300));

        assertThatThrownBy(
                        () ->
                                parse("--max-batch-size", "0")
                                        .miniBatches
                                        .applyTo(TrainingOptions.defaults()))
                .hasMessage("--max-batch-size 0: expected 1 or more");
    }

    @Test
    void parallelismIsUnsetUnlessGivenAndThenAppliesToTheJobsTextModels() {
        assertThat(parse().parallelism.applyTo(TrainingOptions.defaults()).parallelism()).isNull();
        assertThat(
                        parse("--parallelism", "2")
                                .parallelism
                                .applyTo(TrainingOptions.defaults())
                                .parallelism())
                .isEqualTo(2);
        assertThatThrownBy(
                        () ->
                                parse("--parallelism", "0")
                                        .parallelism
                                        .applyTo(TrainingOptions.defaults()))
                .hasMessage("--parallelism 0: expected 1 to 128");
    }
}
