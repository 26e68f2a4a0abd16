package dev.streamlearn.trainer.training;

import dev.streamlearn.models.pipeline.DeclaredModel;
import dev.streamlearn.models.pipeline.DeclaredModel.DriftPolicy;
import dev.streamlearn.models.pipeline.DeclaredModel.PublishPolicy;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One model the job trains: its name (the key of {@code model-versions}), its family, its
 * hyper-parameters, the topic it learns from, when it publishes, and the version it last published,
 * if any. Kept in serialisable form so it can travel inside the job graph.
 *
 * @param name the model name, e.g. {@code text-classifier}
 * @param kind the model family
 * @param spec the hyper-parameters by name (absent ones take their defaults)
 * @param topic the input topic: the family's ({@code ModelFamily.inputTopic}) unless a pipeline
 *     file says otherwise
 * @param publish when its versions are published (the job's settings where it says nothing)
 * @param published the newest version of this model on {@code model-versions} when the job was
 *     built, or null: where the model starts when the job has no saved state for it
 * @param parallelism how many learner subtasks learn it together ({@code trainer.parallel}), or
 *     null for the job's ({@link TrainingOptions#parallelism})
 * @param drift how its drift detection differs from the family's defaults
 */
public record ModelDefinition(
        String name,
        ModelFamily kind,
        Map<String, String> spec,
        String topic,
        PublishPolicy publish,
        PublishedVersion published,
        Integer parallelism,
        DriftPolicy drift)
        implements Serializable {

    public ModelDefinition {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(kind, "model kind");
        Objects.requireNonNull(topic, "input topic");
        Objects.requireNonNull(publish, "publish policy");
        Objects.requireNonNull(drift, "drift policy");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a model name must not be blank");
        }
        spec = new LinkedHashMap<>(spec);
        ModelSpec.fromMap(kind, spec); // fails now, naming the parameter, rather than in the job
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException(
                    "model " + name + ": parallelism " + parallelism + ", expected >= 1");
        }
    }

    /** A model with its family's drift detection. */
    public ModelDefinition(
            String name,
            ModelFamily kind,
            Map<String, String> spec,
            String topic,
            PublishPolicy publish,
            PublishedVersion published,
            Integer parallelism) {
        this(name, kind, spec, topic, publish, published, parallelism, DriftPolicy.FAMILY_DEFAULTS);
    }

    /** A model taking the job's parallelism. */
    public ModelDefinition(
            String name,
            ModelFamily kind,
            Map<String, String> spec,
            String topic,
            PublishPolicy publish,
            PublishedVersion published) {
        this(name, kind, spec, topic, publish, published, null);
    }

    /** A model on its family's topic, publishing as the job says. */
    public ModelDefinition(
            String name, ModelFamily kind, Map<String, String> spec, PublishedVersion published) {
        this(name, kind, spec, kind.inputTopic().name(), PublishPolicy.JOB_DEFAULTS, published);
    }

    public ModelDefinition(String name, ModelFamily kind, Map<String, String> spec) {
        this(name, kind, spec, null);
    }

    /** A model a pipeline file declares. */
    public static ModelDefinition of(DeclaredModel declared) {
        return new ModelDefinition(
                declared.name(),
                declared.family(),
                declared.spec(),
                declared.topic(),
                declared.publish(),
                null,
                declared.parallelism(),
                declared.drift());
    }

    /** The family's default model, named after the family (e.g. {@code text-classifier}). */
    public static ModelDefinition defaults(ModelFamily kind) {
        return of(kind.id(), ModelSpec.defaults(kind));
    }

    public static ModelDefinition of(String name, ModelSpec spec) {
        return new ModelDefinition(name, spec.kind(), spec.toMap());
    }

    public ModelSpec modelSpec() {
        return ModelSpec.fromMap(kind, spec);
    }

    /**
     * This model with those of {@code overrides} that its family declares (others are for other
     * families' models), each validated.
     */
    public ModelDefinition withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(spec);
        overrides.forEach(
                (name, value) -> {
                    if (declares(name)) {
                        merged.put(name, value);
                    }
                });
        return new ModelDefinition(
                this.name, kind, merged, topic, publish, published, parallelism, drift);
    }

    /** Whether this model's family has a hyper-parameter {@code name}. */
    public boolean declares(String name) {
        return kind.params().stream().anyMatch(p -> p.name().equals(name));
    }

    /** This model, continuing after {@code latest} when it has no saved state. */
    public ModelDefinition continuingAfter(PublishedVersion latest) {
        return new ModelDefinition(name, kind, spec, topic, publish, latest, parallelism, drift);
    }

    /** This model as a pipeline declares it: what the scorer needs to serve it. */
    public DeclaredModel declared() {
        return new DeclaredModel(name, kind, topic, spec, publish, parallelism, drift);
    }

    /**
     * What this model's operator ids end with: nothing for a family's default model on its own
     * topic, so state saved before pipelines existed still restores; {@code @name} for any other,
     * so two models of one family get operators of their own.
     */
    public String operatorIdSuffix() {
        return name.equals(kind.id()) && topic.equals(kind.inputTopic().name()) ? "" : "@" + name;
    }

    /** This model learned by {@code n} learner subtasks. */
    public ModelDefinition withParallelism(int n) {
        return new ModelDefinition(name, kind, spec, topic, publish, published, n, drift);
    }

    /**
     * How many learner subtasks learn this model data-parallel ({@code trainer.parallel}): its own
     * setting, else the job's for a text model; null for the single learner of before. A job-wide
     * {@code --parallelism} so leaves forecasters alone (a forecaster that declares one is refused
     * when the job is built), and a model declaring {@code parallelism: 1} is learned by the
     * data-parallel operators with one learner, whose state a savepoint taken at any other
     * parallelism restores.
     */
    public Integer dataParallelism(TrainingOptions options) {
        if (parallelism != null) {
            return parallelism;
        }
        return kind.id().equals("text-classifier") ? options.parallelism() : null;
    }

    /** The version number a model without saved state publishes first, minus one. */
    public long lastPublishedVersion() {
        return published == null ? 0 : published.version();
    }
}
