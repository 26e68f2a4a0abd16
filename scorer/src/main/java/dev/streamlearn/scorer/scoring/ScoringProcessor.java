package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.io.Origins;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * What scoring text and series have in common: find the serving model, keep events that arrive
 * before any model exists and score them, in order, as soon as one does (checked on every event and
 * on a wall-clock punctuation), and send every record that cannot be used to dead-letters.
 *
 * @param <M> the scoring model
 */
public abstract class ScoringProcessor<M> implements Processor<byte[], byte[], Object, Object> {
    private final ServedModel model;
    private final String pendingStoreName;
    private final Function<ModelWeights, M> build;
    private final LiveRegistry registry;
    protected final ScorerOptions options;
    protected final ScorerMetrics metrics;
    protected ProcessorContext<Object, Object> context;
    private ServingModel<M> serving;
    private PendingEvents pending;

    /**
     * @param model the model whose scores it gives
     * @param pendingStore the family's name of the store of events waiting for a first version,
     *     which the model's suffix makes its own
     */
    protected ScoringProcessor(
            ServedModel model,
            String pendingStore,
            Function<ModelWeights, M> build,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        this.model = model;
        this.registry = registry;
        this.pendingStoreName = model.named(pendingStore);
        this.build = build;
        this.options = options;
        this.metrics = metrics;
    }

    /** The model whose scores this gives. */
    protected final String modelName() {
        return model.name();
    }

    /** This model's own name for the family's store {@code base}. */
    protected final String storeName(String base) {
        return model.named(base);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.serving = new ServingModel<>(model.name(), registry, build);
        this.pending =
                new PendingEvents(
                        context.getStateStore(pendingStoreName),
                        options.pendingLimit(),
                        metrics.pending);
        context.schedule(
                options.drainInterval(), PunctuationType.WALL_CLOCK_TIME, now -> drainIfServing());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordOrigin origin = Origins.of(context, record);
        var current = serving.current();
        if (current.isEmpty()) {
            if (!pending.add(origin)) {
                deadLetter(
                        origin,
                        "no version of "
                                + model.name()
                                + " exists yet and "
                                + pending.limit()
                                + " events already wait for one");
            }
            return;
        }
        drain(current.get());
        scoreSafely(origin, current.get());
    }

    /** Scores one input with the given version, forwarding the score or a dead letter. */
    protected abstract void score(RecordOrigin origin, ServingModel.Serving<M> model);

    /**
     * The input decoded, or null after sending it to dead-letters with the reason (unreadable
     * bytes, or a tombstone where an event was expected). Only the first model on a topic sends it:
     * the others read the same bytes and would only say the same.
     */
    protected final <T> T decode(RecordOrigin origin, Topic<?, T> topic, String what) {
        return Decoded.of(topic, origin, what)
                .orElse(
                        reason -> {
                            if (model.reportsUnreadable()) {
                                deadLetter(origin, reason);
                            }
                        });
    }

    protected final void deadLetter(RecordOrigin origin, String reason) {
        DeadLetter letter = DeadLetters.of(origin, "scorer", reason, Instant.now());
        context.forward(
                new Record<Object, Object>(origin.key(), letter, origin.timestamp()),
                SinkNames.DEAD_LETTERS);
        metrics.deadLettered.increment();
    }

    private void drainIfServing() {
        if (!pending.isEmpty()) {
            serving.current().ifPresent(this::drain);
        }
    }

    private void drain(ServingModel.Serving<M> model) {
        pending.drain(origin -> scoreSafely(origin, model));
    }

    private void scoreSafely(RecordOrigin origin, ServingModel.Serving<M> model) {
        try {
            score(origin, model);
        } catch (IllegalArgumentException e) {
            // The kernels refuse inputs they cannot score (non-finite values, ...) with a reason.
            deadLetter(origin, origin.topic() + ": " + e.getMessage());
        }
    }

    /** The store of one family's events waiting for a first model, by arrival sequence. */
    public static StoreBuilder<KeyValueStore<Long, byte[]>> pendingStore(String name) {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(name), Serdes.Long(), Serdes.ByteArray());
    }
}
