package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import dev.streamlearn.trainer.versions.DeltaPolicy;
import dev.streamlearn.trainer.versions.VersionBuilder;
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
 * Combiner}) and publishes the model's versions on its publish policy, as the single learner does:
 * after {@code publishEveryMiniBatches} fitted mini-batches (summed over the deltas) or {@code
 * publishInterval} after the first unpublished delta, numbered on from its last version, with the
 * same provenance, signing and training metrics, built by the trainer's {@link VersionBuilder}
 * (light versions between full ones); and at once when a learner waits for one, having reached its
 * staleness bound ({@link DeltaLearnerOperator}). A version's {@code sourceOffsets} are, per
 * partition, the highest next offset of the deltas it includes. The combiner and its version
 * counter are keyed state, written at each checkpoint like the learner operator's.
 */
final class CombinerOperator extends AbstractStreamOperator<ModelVersion>
        implements OneInputStreamOperator<Tuple2<String, byte[]>, ModelVersion>,
                Triggerable<String, VoidNamespace> {
    static final String STATE = "combiner";

    /**
     * A full version at least this often; the light versions between carry only the rows that
     * changed. A learner's feed, opening at the end of {@code model-versions}, can rebase only from
     * a full version on: its deltas ask for one ({@link Delta#wantsFull}) until it has read one.
     */
    static final int FULL_EVERY_VERSIONS = 20;

    private final Map<String, ModelDefinition> models = new LinkedHashMap<>();
    private final Map<String, Integer> parallelism = new HashMap<>();
    private final TrainingOptions options;
    private final Combiner.Rule rule;
    private transient ValueState<byte[]> state;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<String, Combiner> live;
    private transient Map<String, VersionBuilder> builders;

    CombinerOperator(
            List<ModelDefinition> models,
            Map<String, Integer> parallelism,
            TrainingOptions options,
            Combiner.Rule rule) {
        models.forEach(m -> this.models.put(m.name(), m));
        this.parallelism.putAll(parallelism);
        this.options = options;
        this.rule = rule;
    }

    @Override
    public void open() throws Exception {
        super.open();
        state =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(STATE, BytePrimitiveArraySerializer.INSTANCE));
        timers = getInternalTimerService("publish", VoidNamespaceSerializer.INSTANCE, this);
        live = new HashMap<>();
        builders = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<Tuple2<String, byte[]>> record) throws Exception {
        String name = record.getValue().f0;
        Combiner c = live(name);
        ModelDefinition model = models.get(name);
        Delta delta = Delta.decode(record.getValue().f1);
        c.add(delta, rule, parallelism.get(name));
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (delta.wantsFull() && builders.containsKey(name)) {
            builders.get(name).reset();
        }
        if (delta.urgent()
                || delta.wantsFull()
                || c.fitsSincePublish
                        >= model.publish().everyMiniBatchesOr(options.publishEveryMiniBatches())) {
            publish(name, c, now);
        } else if (c.publishTimer == Long.MIN_VALUE) {
            c.publishTimer = now + model.publish().intervalOr(options.publishInterval()).toMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, c.publishTimer);
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
                                n ->
                                        new VersionBuilder(
                                                options.signingKey(),
                                                new DeltaPolicy(
                                                        FULL_EVERY_VERSIONS,
                                                        DeltaPolicy.DEFAULT_FULL_EVERY_BYTES)))
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
            state.update(DeltaLearnerOperator.encode(e.getValue()));
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
        byte[] saved;
        try {
            saved = state.value();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the combiner state of " + name, e);
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        c =
                saved == null
                        ? new Combiner(
                                TrainingFamilies.newTrainer(model).weights(),
                                model.lastPublishedVersion(),
                                now)
                        : DeltaLearnerOperator.decode(saved, getUserCodeClassloader());
        live.put(name, c);
        return c;
    }
}
