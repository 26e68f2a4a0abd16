package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.family.WiredInput;
import dev.streamlearn.trainer.parallel.DataParallel;
import dev.streamlearn.trainer.parallel.VersionFeed;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The online training job (docs/ARCHITECTURE.md, "The data path"): each model reads its input
 * topic, series points are windowed per series, labelled texts become examples, each model's
 * learner is keyed by the model name, and every published version, its training metrics and every
 * refused record go to the given sinks.
 *
 * <pre>
 * series source → decode → keyBy(series id) → last W points ─┐
 * text source   → decode ─────────────────────────────────────┴→ keyBy(model) → learner → versions
 *                   └─ dead letters ──────────────────────────────────────────────┴─ metrics, dead letters
 * </pre>
 *
 * Any number of models, of any families (a pipeline file's, or one per family by default); a topic
 * several models read is read once and decoded for each, and its unreadable records are
 * dead-lettered once. Each model's input is wired by its family ({@link TrainingFamily#wire}).
 * Sources and sinks are arguments ({@link TrainingInputs}, {@link TrainingSinks}) so tests can wire
 * their own; every stateful operator has a stable uid so state survives changes to the job. A model
 * with a parallelism ({@link ModelDefinition#dataParallelism}) is learned by several subtasks and
 * combined instead ({@link DataParallel}); the others' operators are as they were.
 */
public final class TrainingJob {
    private final List<ModelDefinition> models;
    private final TrainingOptions options;

    /** The models learned data-parallel, with their learner subtasks ({@link DataParallel}). */
    private final Map<String, Integer> parallel;

    /**
     * @param models distinct by name; each learns from its own input topic
     */
    public TrainingJob(List<ModelDefinition> models, TrainingOptions options) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the training job needs at least one model");
        }
        if (models.stream().map(ModelDefinition::name).distinct().count() != models.size()) {
            throw new IllegalArgumentException("model names must be distinct: " + models);
        }
        this.models = List.copyOf(models);
        this.options = options;
        this.parallel = DataParallel.parallelism(models, options);
    }

    public List<ModelDefinition> models() {
        return models;
    }

    /** Adds the job to {@code env}. */
    public void build(StreamExecutionEnvironment env, TrainingInputs inputs, TrainingSinks sinks) {
        TrainingInputs oncePerTopic = new OncePerTopic(inputs);
        Set<String> deadLettered = new HashSet<>();
        List<DataStream<TrainingInput>> toLearner = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        Map<ModelDefinition, List<DataStream<TrainingInput>>> toParallel = new LinkedHashMap<>();
        for (ModelDefinition model : models) {
            WiredInput wired =
                    TrainingFamilies.of(model.kind()).wire(env, oncePerTopic, model, options);
            if (parallel.containsKey(model.name())) {
                toParallel.put(model, wired.toLearner());
            } else {
                toLearner.addAll(wired.toLearner());
            }
            // Every model on a topic decodes it alike: the first one's refusals are all of them.
            if (deadLettered.add(model.topic())) {
                deadLetters.addAll(wired.deadLetters());
            }
        }

        List<DataStream<ModelVersion>> versions = new ArrayList<>();
        List<DataStream<TrainingMetrics>> metrics = new ArrayList<>();
        if (!toLearner.isEmpty()) {
            SingleOutputStreamOperator<ModelVersion> learned =
                    union(toLearner)
                            .keyBy(new ByModel())
                            .transform(
                                    "learn and publish",
                                    new AvroTypeInfo<>(ModelVersion.class),
                                    new LearnerOperator(models, options))
                            .uid("learner");
            versions.add(learned);
            metrics.add(learned.getSideOutput(JobStreams.TRAINING_METRICS));
            deadLetters.add(learned.getSideOutput(JobStreams.DEAD_LETTERS));
            learned.getSideOutput(JobStreams.MODEL_EVENTS)
                    .sinkTo(sinks.modelEvents())
                    .uid("model-events-sink")
                    .name("model-events");
        }
        if (!toParallel.isEmpty()) {
            DataParallel.Outputs combined =
                    DataParallel.build(toParallel, parallel, options, versionFeeds(sinks));
            versions.add(combined.versions());
            metrics.add(combined.metrics());
            deadLetters.addAll(combined.deadLetters());
        }

        union(versions)
                .sinkTo(sinks.modelVersions())
                .uid("model-versions-sink")
                .name("model-versions");
        union(metrics)
                .sinkTo(sinks.trainingMetrics())
                .uid("training-metrics-sink")
                .name("training-metrics");
        union(deadLetters)
                .sinkTo(sinks.deadLetters())
                .uid("dead-letters-sink")
                .name("dead-letters");
    }

    /** Data-parallel learners read the combined versions back from where the job writes them. */
    private VersionFeed.Factory versionFeeds(TrainingSinks sinks) {
        if (!(sinks instanceof KafkaTrainingIo io)) {
            throw new IllegalArgumentException(
                    "models "
                            + parallel.keySet()
                            + " learn data-parallel: their learners read the combined versions"
                            + " back from Kafka, so the job needs Kafka sinks (KafkaTrainingIo)");
        }
        return DataParallel.kafkaFeeds(io.kafka(), io.versionsTopic(), options);
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> first = streams.get(0);
        return streams.size() == 1
                ? first
                : first.union(streams.subList(1, streams.size()).toArray(new DataStream[0]));
    }

    /** Hands out one source per topic, however many models read it. */
    private static final class OncePerTopic implements TrainingInputs {
        private final TrainingInputs inputs;
        private final Map<String, DataStream<RecordOrigin>> sources = new HashMap<>();

        OncePerTopic(TrainingInputs inputs) {
            this.inputs = inputs;
        }

        @Override
        public DataStream<RecordOrigin> records(StreamExecutionEnvironment env, String topic) {
            return sources.computeIfAbsent(topic, t -> inputs.records(env, t));
        }
    }

    /** Each model has one learner. */
    public static final class ByModel implements KeySelector<TrainingInput, String> {
        @Override
        public String getKey(TrainingInput in) {
            return in.model();
        }
    }
}
