package dev.streamlearn.models.pipeline;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models one training job learns and the scorer serves, each on its input topic (README,
 * "Pipelines"). Read from a file by {@link PipelineFile}; without one, {@link #defaults()}: one
 * model per family, on the family's topic.
 *
 * <p>Checked whole when built: names are distinct, and every topic carries one kind of record — a
 * topic read by a text model cannot also feed a forecaster, and none of the pipeline's own topics
 * ({@code model-versions}, scores, ...) can be an input.
 */
public record Pipeline(List<DeclaredModel> models) {

    public Pipeline {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a pipeline declares at least one model");
        }
        Set<String> names = new HashSet<>();
        Map<String, DeclaredModel> firstOnTopic = new HashMap<>();
        for (DeclaredModel m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException(
                        "model " + m.name() + " is declared twice; model names must be distinct");
            }
            Topic<String, ?> carries = m.family().inputTopic();
            Optional<Topic<?, ?>> known = Topics.byName(m.topic());
            if (known.isPresent() && known.get() != carries) {
                throw new IllegalArgumentException(
                        "model "
                                + m.name()
                                + ": topic "
                                + m.topic()
                                + " is the pipeline's own ("
                                + known.get().description()
                                + "); expected a topic with the records of "
                                + carries.name()
                                + " ("
                                + carries.description()
                                + ")");
            }
            DeclaredModel first = firstOnTopic.putIfAbsent(m.topic(), m);
            if (first != null && first.family().inputTopic() != carries) {
                throw new IllegalArgumentException(
                        "models "
                                + first.name()
                                + " ("
                                + first.family().id()
                                + ") and "
                                + m.name()
                                + " ("
                                + m.family().id()
                                + ") both read topic "
                                + m.topic()
                                + ", but their families expect different records");
            }
        }
    }

    /**
     * One model per family of {@link ModelFamilies#inDefaultPipeline()}, named after it, on its
     * topic, with its default spec.
     */
    public static Pipeline defaults() {
        return new Pipeline(
                ModelFamilies.inDefaultPipeline().stream().map(DeclaredModel::defaults).toList());
    }

    public Optional<DeclaredModel> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<DeclaredModel> of(ModelFamily family) {
        return models.stream().filter(m -> m.family() == family).toList();
    }

    /** Every input topic, in declaration order. */
    public Set<String> inputTopics() {
        Set<String> topics = new LinkedHashSet<>();
        models.forEach(m -> topics.add(m.topic()));
        return topics;
    }

    /**
     * Every input topic as it is created: with the records, partitions and configs of its family's
     * own topic.
     */
    public List<Topic<?, ?>> inputs() {
        return inputTopics().stream().<Topic<?, ?>>map(t -> recordsOf(t).renamed(t)).toList();
    }

    /**
     * Every topic a part running this pipeline may need created: the registry's ({@code
     * Topics.all()}) and this pipeline's own input topics, each once.
     */
    public List<Topic<?, ?>> topics() {
        Set<Topic<?, ?>> topics = new LinkedHashSet<>(Topics.all());
        topics.addAll(inputs());
        return List.copyOf(topics);
    }

    /** The registry topic whose records and settings {@code topic} takes: its family's input. */
    public Topic<String, ?> recordsOf(String topic) {
        return models.stream()
                .filter(m -> m.topic().equals(topic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model reads " + topic))
                .family()
                .inputTopic();
    }
}
