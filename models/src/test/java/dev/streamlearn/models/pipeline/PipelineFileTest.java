package dev.streamlearn.models.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFileTest {

    @Test
    void readsEveryFieldAndDefaultsTheRest() {
        Pipeline p =
                PipelineFile.parse(
                        """
                        models:
                          - name: spam
                            family: text-classifier
                            spec: {maxLabels: 2, embeddingSize: 16}
                            publish: {interval: 500ms, everyMiniBatches: 100}
                          - name: tickets
                            family: text-classifier
                            topic: support-tickets
                          - name: motes
                            family: lstm-forecaster
                            publish: {interval: 2s}
                        """,
                        "test.yaml");

        assertThat(p.models())
                .extracting(DeclaredModel::name)
                .containsExactly("spam", "tickets", "motes");
        DeclaredModel spam = p.model("spam").orElseThrow();
        assertThat(spam.family()).isSameAs(TextClassifierFamily.INSTANCE);
        assertThat(spam.topic()).isEqualTo("text-events");
        assertThat(spam.spec())
                .containsEntry("maxLabels", "2")
                .containsEntry("embeddingSize", "16");
        assertThat(spam.publish().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(spam.publish().everyMiniBatches()).isEqualTo(100L);
        DeclaredModel tickets = p.model("tickets").orElseThrow();
        assertThat(tickets.topic()).isEqualTo("support-tickets");
        assertThat(tickets.publish()).isEqualTo(DeclaredModel.PublishPolicy.JOB_DEFAULTS);
        assertThat(tickets.isFamilyDefault()).isFalse();
        assertThat(p.model("motes").orElseThrow().publish().intervalOr(Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(p.inputTopics())
                .containsExactly("text-events", "support-tickets", "series-points");
        assertThat(p.recordsOf("support-tickets").name()).isEqualTo("text-events");
        assertThat(p.inputs())
                .extracting(t -> t.name() + "/" + t.partitions())
                .containsExactly(
                        "text-events/" + Topics.TEXT_EVENTS.partitions(),
                        "support-tickets/" + Topics.TEXT_EVENTS.partitions(),
                        "series-points/" + Topics.SERIES_POINTS.partitions());
        assertThat(p.inputs().get(1).valueSerde()).isSameAs(Topics.TEXT_EVENTS.valueSerde());
        assertThat(p.topics()).containsAll(Topics.all()).hasSize(Topics.all().size() + 1);
        assertThat(p.topics()).extracting(t -> t.name()).contains("support-tickets");
    }

    @Test
    void theExampleInTheDocsIsAValidPipeline() {
        Pipeline example = PipelineFile.read(Path.of("../docs/pipeline-example.yaml"));
        assertThat(example.models())
                .extracting(DeclaredModel::name)
                .containsExactly("spam", "tickets", "sensors");
        assertThat(example.inputTopics())
                .containsExactly("text-events", "support-tickets", "series-points");
    }

    @Test
    void defaultsAreOneModelPerFamilyOnItsTopic() {
        Pipeline p = Pipeline.defaults();
        assertThat(p.models()).allMatch(DeclaredModel::isFamilyDefault);
        assertThat(p.of(LstmForecasterFamily.INSTANCE))
                .singleElement()
                .extracting(DeclaredModel::topic)
                .isEqualTo("series-points");
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "models:\n  - name: a\n    family: text-classifier\n");
        assertThat(PipelineFile.read(file).models()).hasSize(1);

        assertThatThrownBy(() -> PipelineFile.read(dir.resolve("missing.yaml")))
                .hasMessageContaining("missing.yaml")
                .hasMessageContaining("cannot read");
    }

    @Test
    void everyMistakeIsNamedWithWhereItIs() {
        assertError("models: []\n", "non-empty list under 'models:'");
        assertError("modles:\n  - name: a\n", "unknown key 'modles'");
        assertError("models:\n  - family: text-classifier\n", "models[0]: name: missing");
        assertError(
                "models:\n  - name: a\n    family: cnn\n",
                "models[0] (a): family 'cnn': expected one of");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    topc: x\n",
                "models[0] (a): unknown key 'topc'");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    spec: {maxLabels: 0}\n",
                "models[0]: model a: hyper-parameter maxLabels");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    publish: {interval: 5}\n",
                "publish.interval '5': expected a whole number with ms, s or m");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    publish: {everyMiniBatches: 0}\n",
                "everyMiniBatches must be >= 1");
        assertError(
                "models:\n  - name: a b\n    family: text-classifier\n",
                "models[0]: model name 'a b': expected");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    topic: 'no/slash'\n",
                "models[0]: model a: topic 'no/slash' is not a valid Kafka topic name");
        assertError("models:\n  - [unclosed\n", "not valid YAML");
    }

    @Test
    void aTopicCarriesOneKindOfRecordAndNeverThePipelinesOwn() {
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n  - name: a\n    family: lstm-forecaster\n",
                "model a is declared twice");
        assertError(
                "models:\n"
                        + "  - name: a\n    family: text-classifier\n    topic: mixed\n"
                        + "  - name: b\n    family: lstm-forecaster\n    topic: mixed\n",
                "both read topic mixed, but their families expect different records");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    topic: model-versions\n",
                "topic model-versions is the pipeline's own");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    topic: series-points\n",
                "expected a topic with the records of text-events");
    }

    @Test
    void readsAModelsParallelismAndRefusesOneOutOfRange() {
        Pipeline pipeline =
                PipelineFile.parse(
                        "models:\n"
                                + "  - name: a\n    family: text-classifier\n    parallelism: 4\n"
                                + "  - name: b\n    family: text-classifier\n    topic: b\n",
                        "p.yaml");
        assertThat(pipeline.models().get(0).parallelism()).isEqualTo(4);
        assertThat(pipeline.models().get(1).parallelism()).as("the job's").isNull();
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    parallelism: two\n",
                "models[0] (a): parallelism 'two': expected a whole number of learner subtasks");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    parallelism: 0\n",
                "models[0]: model a: parallelism 0: expected 1 to 128");
    }

    @Test
    void readsAModelsDriftDetectionAndRefusesValuesOutOfRange() {
        Pipeline pipeline =
                PipelineFile.parse(
                        "models:\n"
                                + "  - name: a\n    family: lstm-forecaster\n"
                                + "    drift: {delta: 1e-7, cooldown: 1000}\n"
                                + "  - name: b\n    family: text-classifier\n"
                                + "    drift: {cooldown: 0}\n"
                                + "  - name: c\n    family: text-classifier\n    topic: c\n",
                        "p.yaml");
        assertThat(pipeline.models().get(0).drift())
                .isEqualTo(new DeclaredModel.DriftPolicy(1e-7, 1000));
        assertThat(pipeline.models().get(1).drift())
                .isEqualTo(new DeclaredModel.DriftPolicy(null, 0));
        assertThat(pipeline.models().get(2).drift())
                .as("the family's")
                .isEqualTo(DeclaredModel.DriftPolicy.FAMILY_DEFAULTS);
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    drift: {delta: 2}\n",
                "models[0] (a): drift.delta must be in (0, 1), e.g. 1e-5, was 2.0");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    drift: {delta: low}\n",
                "models[0] (a): drift.delta 'low': expected a number in (0, 1)");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    drift: {cooldown: -1}\n",
                "models[0] (a): drift.cooldown must be >= 0 examples, was -1");
        assertError(
                "models:\n  - name: a\n    family: text-classifier\n    drift: {window: 5}\n",
                "models[0] (a): drift: unknown key 'window'; expected [cooldown, delta]");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> PipelineFile.parse(yaml, "p.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pipeline file p.yaml: ")
                .hasMessageContaining(expected);
    }
}
