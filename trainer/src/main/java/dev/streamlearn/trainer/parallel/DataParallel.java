package dev.streamlearn.trainer.parallel;

import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Wires the models learned data-parallel (docs/ARCHITECTURE.md, "Data-parallel learning"): each
 * model's inputs keyed by their source partition into its {@link DeltaLearnerOperator} of
 * parallelism P, every model's deltas keyed by model into the {@link CombinerOperator} (each
 * model's on one subtask), which publishes the versions.
 *
 * <pre>
 * model inputs → keyBy(topic, partition) → P learners ─ deltas → keyBy(model) → combiner → versions
 *                                             ↑ rebase ←──── model-versions (KafkaVersionFeed) ←┘
 * </pre>
 */
public final class DataParallel {
    /**
     * Key groups of every learner operator, fixed so that learners restore at any parallelism up to
     * it.
     */
    static final int MAX_PARALLELISM = 128;

    /**
     * A learner's staleness bound, in its spec's mini-batches: learned by it and in no version it
     * has seen (BENCHMARKS.md "Data-parallel learning" has how quality falls with staleness).
     */
    static final int STALE_MINI_BATCHES = 16;

    /**
     * {@link #STALE_MINI_BATCHES} unless the system property {@code
     * streamlearn.parallel.staleMiniBatches} says otherwise where the job is built: a knob for
     * measuring the trade-off (DataParallelBench), not a setting users are meant to need.
     */
    static int staleMiniBatches() {
        return Integer.getInteger("streamlearn.parallel.staleMiniBatches", STALE_MINI_BATCHES);
    }

    /** How deltas are combined (BENCHMARKS.md "Data-parallel learning"). */
    static final Combiner.Rule RULE = Combiner.Rule.SUM;

    private DataParallel() {}

    /**
     * Refuses a model whose learners cannot be combined: the forecaster's linear part is learned by
     * recursive least squares, whose state (an inverse covariance matrix per learner) neither sums
     * nor averages into the solution one learner would reach on all the data.
     *
     * @throws IllegalArgumentException naming the model and why
     */
    public static void requireCombinable(ModelDefinition model, int parallelism) {
        if (!model.kind().id().equals("text-classifier")) {
            throw new IllegalArgumentException(
                    "model "
                            + model.name()
                            + " ("
                            + model.kind().id()
                            + "): parallelism "
                            + parallelism
                            + " is not supported: only text-classifier models learn"
                            + " data-parallel. A forecaster's linear part is recursive least"
                            + " squares, whose per-learner inverse covariance neither sums nor"
                            + " averages into one learner's solution; declare one forecaster per"
                            + " group of sensors instead");
        }
    }

    /** What the data-parallel models publish and refuse. */
    public record Outputs(
            DataStream<ModelVersion> versions,
            DataStream<TrainingMetrics> metrics,
            List<DataStream<DeadLetter>> deadLetters) {}

    /**
     * @param inputs each data-parallel model's input streams
     * @param parallelism each model's learner subtasks
     * @param feeds where learners read the combined versions back
     */
    public static Outputs build(
            Map<ModelDefinition, List<DataStream<TrainingInput>>> inputs,
            Map<String, Integer> parallelism,
            TrainingOptions options,
            VersionFeed.Factory feeds) {
        TypeInformation<Tuple2<String, byte[]>> deltaType =
                Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));
        List<DataStream<Tuple2<String, byte[]>>> deltas = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        for (Map.Entry<ModelDefinition, List<DataStream<TrainingInput>>> e : inputs.entrySet()) {
            ModelDefinition model = e.getKey();
            int p = parallelism.get(model.name());
            SingleOutputStreamOperator<Tuple2<String, byte[]>> learners =
                    union(e.getValue())
                            .keyBy(new BySourcePartition(p, MAX_PARALLELISM))
                            .transform(
                                    "learn in parallel (" + model.name() + ")",
                                    deltaType,
                                    new DeltaLearnerOperator(
                                            model, options, p, staleMiniBatches(), feeds))
                            .uid("delta-learner@" + model.name())
                            // A learner at its staleness bound waits for the combined state
                            // that includes its delta: the delta goes out at once, not when a
                            // network buffer fills or the buffer timeout passes.
                            .setBufferTimeout(0)
                            .setParallelism(p)
                            .setMaxParallelism(MAX_PARALLELISM);
            deltas.add(learners);
            deadLetters.add(learners.getSideOutput(JobStreams.DEAD_LETTERS));
        }
        SingleOutputStreamOperator<ModelVersion> versions =
                union(deltas)
                        .keyBy(new ByModel())
                        .transform(
                                "combine and publish",
                                new AvroTypeInfo<>(ModelVersion.class),
                                new CombinerOperator(
                                        new ArrayList<>(inputs.keySet()),
                                        parallelism,
                                        options,
                                        RULE,
                                        feeds))
                        // The job's parallelism, as the sink's: each model's versions then go to
                        // its sink subtask in the order they are published (forward), where a
                        // combiner of parallelism 1 would deal them round-robin among the sink's
                        // subtasks and transactions. Each model is still combined on one subtask.
                        .uid("combiner");
        return new Outputs(
                versions, versions.getSideOutput(JobStreams.TRAINING_METRICS), deadLetters);
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> first = streams.get(0);
        return streams.size() == 1
                ? first
                : first.union(streams.subList(1, streams.size()).toArray(new DataStream[0]));
    }

    /** The deltas of one model go to one combiner. */
    static final class ByModel implements KeySelector<Tuple2<String, byte[]>, String> {
        @Override
        public String getKey(Tuple2<String, byte[]> delta) {
            return delta.f0;
        }
    }

    /**
     * Keys a record by its source partition, choosing for each partition a key that Flink's key
     * groups send to subtask {@code (hash(topic) + partition) mod P}: a topic's partitions spread
     * evenly over the learners (hashing the partition number alone may put two on one subtask and
     * none on another), and each partition's records reach exactly one learner. At another
     * parallelism the keys differ, which is fine: the learners are operator state, not keyed.
     */
    static final class BySourcePartition implements KeySelector<TrainingInput, Integer> {
        private final int parallelism;
        private final int maxParallelism;
        private transient Map<String, Integer> keys;

        BySourcePartition(int parallelism, int maxParallelism) {
            this.parallelism = parallelism;
            this.maxParallelism = maxParallelism;
        }

        @Override
        public Integer getKey(TrainingInput in) {
            if (keys == null) {
                keys = new HashMap<>();
            }
            String topic = in.origin().topic();
            int partition = in.origin().partition();
            return keys.computeIfAbsent(topic + "\u0000" + partition, k -> keyOf(topic, partition));
        }

        int keyOf(String topic, int partition) {
            int subtask = Math.floorMod(topic.hashCode() + partition, parallelism);
            for (int key = 0; ; key++) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                key, maxParallelism, parallelism)
                        == subtask) {
                    return key;
                }
            }
        }
    }

    /** The data-parallel models of {@code models} and their parallelism, in order. */
    public static Map<String, Integer> parallelism(
            List<ModelDefinition> models, TrainingOptions options) {
        Map<String, Integer> p = new LinkedHashMap<>();
        for (ModelDefinition m : models) {
            Integer n = m.dataParallelism(options);
            if (n != null) {
                requireCombinable(m, n);
                p.put(m.name(), n);
            }
        }
        return p;
    }

    /**
     * The topic the combiner feeds the learners back on, beside {@code versionsTopic}: the trainer
     * creates it if absent and writes and reads it, so a secured broker must let the trainer's
     * principal create, write and read it.
     */
    public static String feedbackTopic(String versionsTopic) {
        return versionsTopic + "-feedback";
    }

    /** Feeds of the versions {@code options} publishes to {@code topic} on {@code kafka}. */
    public static VersionFeed.Factory kafkaFeeds(
            KafkaConnection kafka, String topic, TrainingOptions options) {
        return new KafkaVersionFeed.Factory(kafka, topic);
    }
}
