package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import dev.streamlearn.trainer.versions.VersionBuilder;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keyed by model name: adds each delta of the model's learners into its global weights ({@link
 * Combiner}), sends the learners the rows that delta changed at once ({@link VersionFeed.Sink}; G
 * whole instead when the delta's learner asks for it), and publishes the model's versions on its
 * publish policy, as the single learner does: after {@code publishEveryMiniBatches} fitted
 * mini-batches (summed over the deltas) or {@code publishInterval} after the first unpublished
 * delta, numbered on from its last version, with the same provenance, signing and training metrics,
 * built by the trainer's {@link VersionBuilder} (light versions between full ones, on the job's
 * {@code DeltaPolicy}). A version's {@code sourceOffsets} are, per partition, the highest next
 * offset of the deltas it includes. The combiner and its version counter are keyed state, written
 * at each checkpoint like the learner operator's; the fed-back states are numbered within an epoch
 * drawn at each open, not saved.
 */
final class CombinerOperator extends AbstractStreamOperator<ModelVersion>
        implements OneInputStreamOperator<Tuple2<String, byte[]>, ModelVersion>,
                Triggerable<String, VoidNamespace> {
    /** Each model's combiner ({@link CombinerSerializer}). */
    static final String STATE = "combiner-state";

    /**
     * Where checkpoints of the first data-parallel release hold each combiner, Java-serialized:
     * read once after such a restore, then cleared.
     */
    static final String JAVA_SERIALIZED_STATE = "combiner";

    /**
     * G whole goes to the learners at most this often per model: several learners asking at once
     * (after a start or restore) are served by one, and a learner not served asks again with its
     * next delta.
     */
    static final long WHOLE_STATE_SPACING_MILLIS = 500;

    private final Map<String, ModelDefinition> models = new LinkedHashMap<>();
    private final Map<String, Integer> parallelism = new HashMap<>();
    private final TrainingOptions options;
    private final Combiner.Rule rule;
    private final VersionFeed.Factory feeds;
    private transient ValueState<Combiner> state;
    private transient ValueState<byte[]> javaSerialized;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<String, Combiner> live;
    private transient Map<String, VersionBuilder> builders;
    private transient VersionFeed.Sink sink;
    private transient long epoch;
    private transient Map<String, Long> sequences;
    private transient Map<String, Long> lastWholeAt;

    CombinerOperator(
            List<ModelDefinition> models,
            Map<String, Integer> parallelism,
            TrainingOptions options,
            Combiner.Rule rule,
            VersionFeed.Factory feeds) {
        models.forEach(m -> this.models.put(m.name(), m));
        this.parallelism.putAll(parallelism);
        this.options = options;
        this.rule = rule;
        this.feeds = feeds;
    }

    @Override
    public void open() throws Exception {
        super.open();
        state =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(STATE, CombinerSerializer.INSTANCE));
        javaSerialized =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(
                                JAVA_SERIALIZED_STATE, BytePrimitiveArraySerializer.INSTANCE));
        timers = getInternalTimerService("publish", VoidNamespaceSerializer.INSTANCE, this);
        live = new HashMap<>();
        builders = new HashMap<>();
        sequences = new HashMap<>();
        lastWholeAt = new HashMap<>();
        long drawn;
        do {
            drawn = new SecureRandom().nextLong();
        } while (drawn == 0); // 0 is the epoch of the states tests build
        epoch = drawn;
        sink = feeds.sink("combiner-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public void close() throws Exception {
        if (sink != null) {
            sink.close();
            sink = null;
        }
        super.close();
    }

    @Override
    public void processElement(StreamRecord<Tuple2<String, byte[]>> record) throws Exception {
        String name = record.getValue().f0;
        Combiner c = live(name);
        ModelDefinition model = models.get(name);
        Delta delta = Delta.decode(record.getValue().f1);
        c.add(delta, rule, parallelism.get(name));
        long now = getProcessingTimeService().getCurrentProcessingTime();
        feedBack(name, c, delta, now);
        if (c.fitsSincePublish
                >= model.publish().everyMiniBatchesOr(options.publishEveryMiniBatches())) {
            publish(name, c, now);
        } else if (c.publishTimer == Long.MIN_VALUE) {
            c.publishTimer = now + model.publish().intervalOr(options.publishInterval()).toMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, c.publishTimer);
        }
    }

    /**
     * Sends the learners G's rows that {@code delta} changed (and its head), numbered one above the
     * state before; and, when the delta's learner has yet to hold G whole and none went out lately,
     * G whole under the same number, which a learner already holding that state skips.
     */
    private void feedBack(String name, Combiner c, Delta delta, long now) {
        long sequence = sequences.merge(name, 1L, Long::sum);
        sink.send(name, c.rows(epoch, sequence, delta.rows()));
        Long last = lastWholeAt.get(name);
        if (delta.wantsFull() && (last == null || now - last >= WHOLE_STATE_SPACING_MILLIS)) {
            sink.send(name, c.whole(epoch, sequence));
            lastWholeAt.put(name, now);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        Combiner c = live(timer.getKey());
        if (timer.getTimestamp() == c.publishTimer) {
            c.publishTimer = Long.MIN_VALUE;
            if (c.fitsSincePublish > 0 || c.examples != c.examplesAtLastPublish) {
                publish(timer.getKey(), c, timer.getTimestamp());
            }
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // Publishing follows processing time only.
    }

    private void publish(String name, Combiner c, long now) {
        if (c.publishTimer != Long.MIN_VALUE) {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, c.publishTimer);
            c.publishTimer = Long.MIN_VALUE;
        }
        long version = c.lastVersion + 1;
        Provenance provenance =
                new Provenance(
                        name,
                        version,
                        c.lastVersion,
                        c.examples,
                        c.metrics(),
                        c.sourceOffsets(),
                        Instant.ofEpochMilli(now));
        ModelVersion published =
                builders.computeIfAbsent(
                                name,
                                n -> new VersionBuilder(options.signingKey(), options.versions()))
                        .next(c.weights(), provenance);
        double seconds = Math.max(now - c.lastPublishAt, 1) / 1000.0;
        TrainingMetrics figures =
                TrainingMetrics.newBuilder()
                        .setModel(name)
                        .setVersion(version)
                        .setExamplesSeen(c.examples)
                        .setLoss(c.lastLoss)
                        .setMetrics(provenance.metrics())
                        .setExamplesPerSecond((c.examples - c.examplesAtLastPublish) / seconds)
                        .setAt(Instant.ofEpochMilli(now))
                        .setLagMillis(c.lagMillis < 0 ? null : c.lagMillis)
                        .build();
        output.collect(new StreamRecord<>(published));
        output.collect(JobStreams.TRAINING_METRICS, new StreamRecord<>(figures));
        c.lastVersion = version;
        c.fitsSincePublish = 0;
        c.examplesAtLastPublish = c.examples;
        c.lastPublishAt = now;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        for (Map.Entry<String, Combiner> e : live.entrySet()) {
            setCurrentKey(e.getKey());
            // A copy: the async part of the checkpoint writes it while deltas go on being added.
            state.update(e.getValue().copy());
        }
        super.snapshotState(context);
    }

    private Combiner live(String name) {
        Combiner c = live.get(name);
        if (c != null) {
            return c;
        }
        ModelDefinition model = models.get(name);
        if (model == null) {
            throw new IllegalStateException(
                    "no data-parallel model named '"
                            + name
                            + "'; expected one of "
                            + models.keySet());
        }
        Combiner saved;
        byte[] legacy;
        try {
            saved = state.value();
            legacy = javaSerialized.value();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the combiner state of " + name, e);
        }
        if (saved == null && legacy != null) {
            saved = DeltaLearnerOperator.decode(legacy, getUserCodeClassloader());
        }
        if (legacy != null) {
            javaSerialized.clear();
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        c =
                saved == null
                        ? new Combiner(
                                TrainingFamilies.newTrainer(model).weights(),
                                model.lastPublishedVersion(),
                                now)
                        : saved.copy();
        live.put(name, c);
        return c;
    }
}
