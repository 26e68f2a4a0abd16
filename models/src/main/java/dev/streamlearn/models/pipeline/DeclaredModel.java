package dev.streamlearn.models.pipeline;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model a {@link Pipeline} declares: the key of its versions on {@code model-versions}, its
 * family, the topic its examples and scoring inputs arrive on, its hyper-parameters and when its
 * trainer publishes.
 *
 * @param name the model name; letters, digits, {@code .}, {@code _} and {@code -}, because it is a
 *     record key, a metric label and part of Flink operator ids
 * @param family the model family
 * @param topic the input topic; it carries the family's input records (e.g. {@code TextEvent}s)
 * @param spec hyper-parameters by name; absent ones take their defaults
 * @param publish when the trainer publishes this model's versions
 * @param parallelism how many learner subtasks learn this model together (data-parallel learning; 1
 *     is that machinery with one learner, so a savepoint taken at another parallelism restores), or
 *     null for the job's setting, which by default is the single learner of before
 * @param drift how the trainer's drift detection on this model differs from its family's defaults
 */
public record DeclaredModel(
        String name,
        ModelFamily family,
        String topic,
        Map<String, String> spec,
        PublishPolicy publish,
        Integer parallelism,
        DriftPolicy drift)
        implements Serializable {

    /** The most learner subtasks one model may have. */
    public static final int MAX_PARALLELISM = 128;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public DeclaredModel {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(family, "model family");
        Objects.requireNonNull(topic, "input topic");
        Objects.requireNonNull(publish, "publish policy");
        Objects.requireNonNull(drift, "drift policy");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "model name '" + name + "': expected 1-100 letters, digits, '.', '_' or '-'");
        }
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(
                    "model " + name + ": topic '" + topic + "' is not a valid Kafka topic name");
        }
        if (parallelism != null && (parallelism < 1 || parallelism > MAX_PARALLELISM)) {
            throw new IllegalArgumentException(
                    "model "
                            + name
                            + ": parallelism "
                            + parallelism
                            + ": expected 1 to "
                            + MAX_PARALLELISM);
        }
        spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
        try {
            ModelSpec.fromMap(family, spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + name + ": " + e.getMessage(), e);
        }
    }

    /** A model with its family's drift detection. */
    public DeclaredModel(
            String name,
            ModelFamily family,
            String topic,
            Map<String, String> spec,
            PublishPolicy publish,
            Integer parallelism) {
        this(name, family, topic, spec, publish, parallelism, DriftPolicy.FAMILY_DEFAULTS);
    }

    /** A model that takes the job's parallelism. */
    public DeclaredModel(
            String name,
            ModelFamily family,
            String topic,
            Map<String, String> spec,
            PublishPolicy publish) {
        this(name, family, topic, spec, publish, null);
    }

    /** The family's default model: named after the family, on its topic, default spec. */
    public static DeclaredModel defaults(ModelFamily family) {
        return new DeclaredModel(
                family.id(),
                family,
                family.inputTopic().name(),
                ModelSpec.defaults(family).toMap(),
                PublishPolicy.JOB_DEFAULTS);
    }

    public ModelSpec modelSpec() {
        return ModelSpec.fromMap(family, spec);
    }

    /**
     * Whether this is a family's default model on its default topic: such a model keeps the
     * operator ids it had before pipelines existed, so its saved state still restores.
     */
    public boolean isFamilyDefault() {
        return name.equals(family.id()) && topic.equals(family.inputTopic().name());
    }

    /**
     * When a trainer publishes: after {@code everyMiniBatches} fitted mini-batches or {@code
     * interval} after the first unpublished fit, whichever comes first. A null field takes the
     * job's setting.
     */
    public record PublishPolicy(Duration interval, Long everyMiniBatches) implements Serializable {
        public static final PublishPolicy JOB_DEFAULTS = new PublishPolicy(null, null);

        public PublishPolicy {
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException(
                        "publish interval must be positive, was " + interval);
            }
            if (everyMiniBatches != null && everyMiniBatches < 1) {
                throw new IllegalArgumentException(
                        "publish everyMiniBatches must be >= 1, was " + everyMiniBatches);
            }
        }

        public Duration intervalOr(Duration jobDefault) {
            return interval == null ? jobDefault : interval;
        }

        public long everyMiniBatchesOr(long jobDefault) {
            return everyMiniBatches == null ? jobDefault : everyMiniBatches;
        }
    }

    /**
     * The trainer's drift detection on one model, where it differs from the family's defaults
     * (docs/ARCHITECTURE.md, "Drift"); a null field keeps the default.
     *
     * @param delta ADWIN's significance, in (0, 1): lower, fewer false alarms and later detections
     * @param cooldown examples after a detection before the loss is watched again, >= 0
     */
    public record DriftPolicy(Double delta, Integer cooldown) implements Serializable {
        public static final DriftPolicy FAMILY_DEFAULTS = new DriftPolicy(null, null);

        public DriftPolicy {
            if (delta != null && !(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException(
                        "drift.delta must be in (0, 1), e.g. 1e-5, was " + delta);
            }
            if (cooldown != null && cooldown < 0) {
                throw new IllegalArgumentException(
                        "drift.cooldown must be >= 0 examples, was " + cooldown);
            }
        }
    }
}
