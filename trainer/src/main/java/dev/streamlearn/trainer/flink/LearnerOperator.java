package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
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
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.PublishedVersion;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
 * mini-batches, or {@code publishInterval} after the first unpublished fit, whichever comes first.
 * {@link TrainingMetrics} go to {@link JobStreams#TRAINING_METRICS}; refused examples to {@link
 * JobStreams#DEAD_LETTERS}.
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
        Offer offer = m.trainer.offer(in);
        switch (offer.status()) {
            case REJECTED ->
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
            case TRAINED, REVERTED -> {
                m.lastLoss = offer.score();
                if (offer.status() == Offer.Status.TRAINED) {
                    m.fitsSincePublish++;
                }
            }
            case BUFFERED -> {}
        }
        if (m.fitsSincePublish >= options.publishEveryMiniBatches()) {
            publish(m, now);
        } else if (m.fitsSincePublish > 0 && m.publishTimer == LearnerState.NO_TIMER) {
            m.publishTimer = now + options.publishInterval().toMillis();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, m.publishTimer);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        Live m = live(timer.getKey());
        m.publishTimer = LearnerState.NO_TIMER;
        if (m.fitsSincePublish > 0) {
            publish(m, timer.getTimestamp());
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
                        ? new Live(model, getProcessingTimeService().getCurrentProcessingTime())
                        : new Live(model, saved);
        live.put(name, m);
        return m;
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
        ModelVersion published = VersionContract.build(m.trainer.weights(), provenance);
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
        final Map<TopicPartition, Long> nextOffsets;
        long lastVersion;
        long fitsSincePublish;
        double lastLoss;
        long examplesAtLastPublish;
        long lastPublishAt;
        long publishTimer;

        Live(ModelDefinition model, long now) {
            this.model = model;
            this.trainer = TrainingFamilies.newTrainer(model);
            this.lastVersion = model.lastPublishedVersion();
            this.nextOffsets = new HashMap<>();
            this.lastLoss = Double.NaN;
            this.lastPublishAt = now;
            this.publishTimer = LearnerState.NO_TIMER;
        }

        Live(ModelDefinition model, LearnerState s) {
            this.model = model;
            this.trainer =
                    TrainingFamilies.restoreTrainer(
                            model, s.learner(), s.prequential(), s.labelCounts());
            this.nextOffsets = new HashMap<>(s.nextOffsets());
            this.lastVersion = s.lastVersion();
            this.fitsSincePublish = s.fitsSincePublish();
            this.lastLoss = s.lastLoss();
            this.examplesAtLastPublish = s.examplesAtLastPublish();
            this.lastPublishAt = s.lastPublishAt();
            this.publishTimer = s.publishTimer();
        }

        LearnerState toState() {
            return new LearnerState(
                    trainer.learnerSnapshot(),
                    trainer.metricsState(),
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
