package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.family.WiredInput;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The online training job (docs/ARCHITECTURE.md, "The data path"): series points are windowed per
 * series, labelled texts become examples, each model's learner is keyed by the model name, and
 * every published version, its training metrics and every refused record go to the given sinks.
 *
 * <pre>
 * series source → decode → keyBy(series id) → last W points ─┐
 * text source   → decode ─────────────────────────────────────┴→ keyBy(model) → learner → versions
 *                   └─ dead letters ──────────────────────────────────────────────┴─ metrics, dead letters
 * </pre>
 *
 * Each model's input is wired by its family ({@link TrainingFamily#wire}). Sources and sinks are
 * arguments ({@link TrainingInputs}, {@link TrainingSinks}) so tests can wire their own; every
 * stateful operator has a stable uid so state survives changes to the job.
 */
public final class TrainingJob {
    private final List<ModelDefinition> models;
    private final TrainingOptions options;

    /**
     * @param models at most one model per family: each learns from every input of its family
     */
    public TrainingJob(List<ModelDefinition> models, TrainingOptions options) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the training job needs at least one model");
        }
        for (TrainingFamily family : TrainingFamilies.all()) {
            ModelFamily kind = family.family();
            if (models.stream().filter(m -> m.kind() == kind).count() > 1) {
                throw new IllegalArgumentException(
                        "one " + kind.id() + " model per job, got " + models);
            }
        }
        if (models.stream().map(ModelDefinition::name).distinct().count() != models.size()) {
            throw new IllegalArgumentException("model names must be distinct: " + models);
        }
        this.models = List.copyOf(models);
        this.options = options;
    }

    public List<ModelDefinition> models() {
        return models;
    }

    /** Adds the job to {@code env}. */
    public void build(StreamExecutionEnvironment env, TrainingInputs inputs, TrainingSinks sinks) {
        List<DataStream<TrainingInput>> toLearner = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        for (ModelDefinition model : models) {
            WiredInput wired = TrainingFamilies.of(model.kind()).wire(env, inputs, model, options);
            toLearner.addAll(wired.toLearner());
            deadLetters.addAll(wired.deadLetters());
        }

        SingleOutputStreamOperator<ModelVersion> versions =
                union(toLearner)
                        .keyBy(new ByModel())
                        .transform(
                                "learn and publish",
                                new AvroTypeInfo<>(ModelVersion.class),
                                new LearnerOperator(models, options))
                        .uid("learner");
        deadLetters.add(versions.getSideOutput(JobStreams.DEAD_LETTERS));

        versions.sinkTo(sinks.modelVersions()).uid("model-versions-sink").name("model-versions");
        versions.getSideOutput(JobStreams.TRAINING_METRICS)
                .sinkTo(sinks.trainingMetrics())
                .uid("training-metrics-sink")
                .name("training-metrics");
        union(deadLetters)
                .sinkTo(sinks.deadLetters())
                .uid("dead-letters-sink")
                .name("dead-letters");
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> first = streams.get(0);
        return streams.size() == 1
                ? first
                : first.union(streams.subList(1, streams.size()).toArray(new DataStream[0]));
    }

    /** Each model has one learner. */
    public static final class ByModel implements KeySelector<TrainingInput, String> {
        @Override
        public String getKey(TrainingInput in) {
            return in.model();
        }
    }
}
