package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.state.LearnerState;
import dev.streamlearn.trainer.state.LearnerStateSerializer;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.AdaptiveBatchSize;
import dev.streamlearn.trainer.training.DriftEvents;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.PublishedVersion;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import dev.streamlearn.trainer.versions.VersionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Keyed by model name: learns every example of its model test-then-train ({@link ModelTrainer}) and
 * publishes a new {@link ModelVersion} after every {@code publishEveryMiniBatches} fitted
 * mini-batches, or {@code publishInterval} after the first unpublished fit, whichever comes first
 * (the model's own publish policy, where its pipeline file gives one, else the job's). {@link
 * TrainingMetrics} go to {@link JobStreams#TRAINING_METRICS}; refused examples to {@link
 * JobStreams#DEAD_LETTERS}; drifts the trainer detects to {@link JobStreams#MODEL_EVENTS}. Each
 * model's mini-batch size follows its lag (processing time minus the newest example's record
 * timestamp, its append time) by {@link AdaptiveBatchSize}; both are in the training metrics and in
 * the job's metrics.
 *
 * <p>The live DL4J learner stays in this operator between checkpoints: copying its parameters into
 * Flink state on every example would cost more than the learning. At each checkpoint, before the
 * keyed state is written, {@link #snapshotState} stores every live learner's {@link LearnerState}
 * under its model's key; after a restore a learner is rebuilt from that state when its model's next
 * record or timer arrives. Version numbers live in the same state, so they continue after a
 * restore, and with the exactly-once sink versions published after the restored checkpoint are
 * discarded with their transaction, then published again identically numbered. A model without
 * saved state continues after the version it last published ({@link PublishedVersion}).
 *
 * <p>A version's {@code sourceOffsets} are, per input partition, one past the highest offset whose
 * record reached this learner. Texts come straight from their partition, so every record before
 * that offset has been consumed. Series points pass through the per-series window operator first;
 * points of different series in one partition may arrive here in a different order, so a record of
 * another series just below that offset can still be in flight (a few network buffers at most).
 */
final class LearnerOperator extends AbstractStreamOperator<ModelVersion>
        implements OneInputStreamOperator<TrainingInput, ModelVersion>,
                Triggerable<String, VoidNamespace> {
    static final String STATE = "learner";
    static final String TIMERS = "publish";

    /** No example has told its append time yet (or none carried one). */
    private static final long UNKNOWN_LAG = -1;

    private final Map<String, ModelDefinition> models;
    private final TrainingOptions options;
    private transient ValueState<LearnerState> state;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<String, Live> live;

    LearnerOperator(List<ModelDefinition> models, TrainingOptions options) {
        this.models = new LinkedHashMap<>();
        models.forEach(m -> this.models.put(m.name(), m));
        this.options = options;
    }

    @Override
    public void open() throws Exception {
        super.open();
        state =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(STATE, LearnerStateSerializer.INSTANCE));
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        live = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<TrainingInput> record) throws Exception {
        TrainingInput in = record.getValue();
        Live m = live((String) getCurrentKey());
        RecordOrigin origin = in.origin();
        m.nextOffsets.merge(
                new TopicPartition(origin.topic(), origin.partition()),
                origin.offset() + 1,
                Math::max);
        if (!in.isExample()) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (origin.timestamp() >= 0) {
            m.lagMillis = Math.max(0, now - origin.timestamp());
            m.trainer.batchSize(m.batching.beforeExample(m.lagMillis));
        }
        long drifts = m.trainer.driftWatch().detections();
        Offer offer = m.trainer.offer(in);
        if (m.trainer.driftWatch().detections() > drifts) {
            output.collect(
                    JobStreams.MODEL_EVENTS,
                    new StreamRecord<>(
                            DriftEvents.of(
                                    m.model.name(),
                                    m.lastVersion,
                                    m.trainer.driftWatch().last(),
                                    Instant.ofEpochMilli(now))));
        }
        if (offer.status() == Offer.Status.REJECTED) {
            output.collect(
                    JobStreams.DEAD_LETTERS,
                    new StreamRecord<>(
                            DeadLetters.of(
                                    in.origin(),
                                    JobStreams.STAGE,
                                    "model "
                                            + m.model.name()
                                            + " refused it: "
                                            + offer.rejection().reason(),
                                    Instant.ofEpochMilli(now))));
        } else if (learned(m, offer)) {
            // The stream is filling mini-batches: no part-filled one is stuck.
            cancelFlush(m);
            if (m.lagMillis != UNKNOWN_LAG) {
                m.trainer.batchSize(m.batching.afterFit(m.lagMillis));
            }
        }
        publishOrSchedule(m, now);
    }

    /**
     * A timer: the publish interval has passed since the first unpublished fit, or a grown
     * mini-batch has sat part-filled, with no fit, for the target lag (its stream slowed down or
     * stopped): then examples enough for a mini-batch of the spec's size are fitted now rather than
     * left waiting for a stream that may not come. A timer of neither kind is a flush timer
     * restored from a checkpoint (only the publish timer is in the state).
     */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        Live m = live(timer.getKey());
        long now = timer.getTimestamp();
        boolean publishDue = now == m.publishTimer;
        if (publishDue) {
            m.publishTimer = LearnerState.NO_TIMER;
        }
        boolean flushDue = now == m.flushTimer || !publishDue;
        if (now == m.flushTimer) {
            m.flushTimer = LearnerState.NO_TIMER;
        }
        if (flushDue && m.trainer.pendingExamples() >= m.batching.configured()) {
            m.trainer.batchSize(m.batching.reset());
            learned(m, m.trainer.flush());
        }
        if (publishDue && m.fitsSincePublish > 0) {
            publish(m, now);
        } else {
            publishOrSchedule(m, now);
        }
    }

    private void cancelFlush(Live m) {
        if (m.flushTimer != LearnerState.NO_TIMER) {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, m.flushTimer);
            m.flushTimer = LearnerState.NO_TIMER;
        }
    }

    /**
     * Books a fit (or a reverted one) and its loss; returns whether there was one. A fit from the
     * timer leaves the mini-batch size alone: the lag it would go by is as old as the newest
     * example.
     */
    private static boolean learned(Live m, Offer offer) {
        if (offer.status() != Offer.Status.TRAINED && offer.status() != Offer.Status.REVERTED) {
            return false;
        }
        m.lastLoss = offer.score();
        if (offer.status() == Offer.Status.TRAINED) {
            m.fitsSincePublish++;
        }
        return true;
    }

    /**
     * Publishes after enough fits, else makes sure a timer will: one for the publish interval once
     * there is an unpublished fit, one for the target lag while a grown mini-batch is part-filled.
     */
    private void publishOrSchedule(Live m, long now) {
        if (m.fitsSincePublish
                >= m.model.publish().everyMiniBatchesOr(options.publishEveryMiniBatches())) {
            publish(m, now);
        } else if (m.fitsSincePublish > 0 && m.publishTimer == LearnerState.NO_TIMER) {
            m.publishTimer =
                    now + m.model.publish().intervalOr(options.publishInterval()).toMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, m.publishTimer);
        }
        if (m.trainer.pendingExamples() >= m.batching.configured()
                && m.flushTimer == LearnerState.NO_TIMER) {
            m.flushTimer = now + options.targetLag().toMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, m.flushTimer);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // Publishing follows processing time only.
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        for (Live m : live.values()) {
            setCurrentKey(m.model.name());
            state.update(m.toState());
        }
        super.snapshotState(context);
    }

    private Live live(String name) {
        Live m = live.get(name);
        if (m != null) {
            return m;
        }
        ModelDefinition model = models.get(name);
        if (model == null) {
            throw new IllegalStateException(
                    "no model named '"
                            + name
                            + "' is configured; expected one of "
                            + models.keySet());
        }
        LearnerState saved;
        try {
            saved = state.value();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the state of model " + name, e);
        }
        m =
                saved == null
                        ? new Live(
                                model,
                                options,
                                getProcessingTimeService().getCurrentProcessingTime())
                        : new Live(model, options, saved);
        live.put(name, m);
        registerGauges(m);
        return m;
    }

    /**
     * The learner's current mini-batch size and lag in the job's metrics ({@code /metrics} of the
     * trainer), labelled by model.
     */
    private void registerGauges(Live m) {
        MetricGroup group = getMetricGroup().addGroup("model", m.model.name());
        group.gauge("batchSize", (Gauge<Integer>) m.batching::size);
        group.gauge("lagMillis", (Gauge<Long>) () -> m.lagMillis);
    }

    private void publish(Live m, long now) {
        if (m.publishTimer != LearnerState.NO_TIMER) {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, m.publishTimer);
            m.publishTimer = LearnerState.NO_TIMER;
        }
        long version = m.lastVersion + 1;
        long examples = m.trainer.examplesSeen();
        Provenance provenance =
                new Provenance(
                        m.model.name(),
                        version,
                        m.lastVersion,
                        examples,
                        m.trainer.metrics(),
                        sourceOffsets(m.nextOffsets),
                        Instant.ofEpochMilli(now));
        ModelVersion published = m.versions.next(m.trainer.weights(), provenance);
        double seconds = Math.max(now - m.lastPublishAt, 1) / 1000.0;
        TrainingMetrics figures =
                TrainingMetrics.newBuilder()
                        .setModel(m.model.name())
                        .setVersion(version)
                        .setExamplesSeen(examples)
                        .setLoss(m.lastLoss)
                        .setMetrics(provenance.metrics())
                        .setExamplesPerSecond((examples - m.examplesAtLastPublish) / seconds)
                        .setAt(Instant.ofEpochMilli(now))
                        .setBatchSize(m.batching.size())
                        .setLagMillis(m.lagMillis == UNKNOWN_LAG ? null : m.lagMillis)
                        .build();
        output.collect(new StreamRecord<>(published));
        output.collect(JobStreams.TRAINING_METRICS, new StreamRecord<>(figures));
        m.lastVersion = version;
        m.fitsSincePublish = 0;
        m.examplesAtLastPublish = examples;
        m.lastPublishAt = now;
    }

    private static List<SourceOffset> sourceOffsets(Map<TopicPartition, Long> next) {
        List<SourceOffset> offsets = new ArrayList<>();
        next.forEach((tp, o) -> offsets.add(new SourceOffset(tp.topic(), tp.partition(), o)));
        return offsets;
    }

    /** One model's learner and bookkeeping while this operator runs. */
    private static final class Live {
        final ModelDefinition model;
        final ModelTrainer trainer;
        final AdaptiveBatchSize batching;
        final Map<TopicPartition, Long> nextOffsets;

        /** Not checkpointed: the first version after a start or restore carries full weights. */
        final VersionBuilder versions;

        long lagMillis = UNKNOWN_LAG;

        /** Not checkpointed: a restored flush timer fires as a timer of no known purpose. */
        long flushTimer = LearnerState.NO_TIMER;

        long lastVersion;
        long fitsSincePublish;
        double lastLoss;
        long examplesAtLastPublish;
        long lastPublishAt;
        long publishTimer;

        Live(ModelDefinition model, TrainingOptions options, long now) {
            this.model = model;
            this.trainer = TrainingFamilies.newTrainer(model);
            this.batching = batching(trainer, options);
            this.versions = new VersionBuilder(options.signingKey(), options.versions());
            this.lastVersion = model.lastPublishedVersion();
            this.nextOffsets = new HashMap<>();
            this.lastLoss = Double.NaN;
            this.lastPublishAt = now;
            this.publishTimer = LearnerState.NO_TIMER;
        }

        Live(ModelDefinition model, TrainingOptions options, LearnerState s) {
            this.model = model;
            this.trainer = s.restoreTrainer(model);
            this.batching = batching(trainer, options);
            this.versions = new VersionBuilder(options.signingKey(), options.versions());
            this.nextOffsets = new HashMap<>(s.nextOffsets());
            this.lastVersion = s.lastVersion();
            this.fitsSincePublish = s.fitsSincePublish();
            this.lastLoss = s.lastLoss();
            this.examplesAtLastPublish = s.examplesAtLastPublish();
            this.lastPublishAt = s.lastPublishAt();
            this.publishTimer = s.publishTimer();
        }

        private static AdaptiveBatchSize batching(ModelTrainer trainer, TrainingOptions options) {
            return new AdaptiveBatchSize(
                    trainer.specBatchSize(), options.maxBatchSize(), options.targetLag());
        }

        LearnerState toState() {
            return new LearnerState(
                    trainer.learnerSnapshot(),
                    trainer.prequentialSums(),
                    DriftWatch.STATE_FORMAT,
                    trainer.driftState(),
                    trainer.labelCounts(),
                    lastVersion,
                    fitsSincePublish,
                    lastLoss,
                    examplesAtLastPublish,
                    lastPublishAt,
                    publishTimer,
                    new LinkedHashMap<>(nextOffsets));
        }
    }
}
