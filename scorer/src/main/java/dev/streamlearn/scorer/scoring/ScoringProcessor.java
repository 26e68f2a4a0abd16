package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.scorer.ScorerMetrics;
import dev.streamlearn.scorer.ScorerOptions;
import dev.streamlearn.scorer.registry.ModelRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What scoring text and series have in common: find the serving model, keep events that arrive
 * before any model exists and score them, in order, as soon as one does (checked on every event and
 * on a wall-clock punctuation), and send every record that cannot be used to dead-letters.
 *
 * @param <M> the scoring model
 */
abstract class ScoringProcessor<M> implements Processor<byte[], byte[], Object, Object> {
    private final String modelName;
    private final String pendingStoreName;
    private final Function<ModelWeights, M> build;
    protected final ScorerOptions options;
    protected final ScorerMetrics metrics;
    protected ProcessorContext<Object, Object> context;
    private ServingModel<M> serving;
    private PendingEvents pending;

    ScoringProcessor(
            String modelName,
            String pendingStoreName,
            Function<ModelWeights, M> build,
            ScorerOptions options,
            ScorerMetrics metrics) {
        this.modelName = modelName;
        this.pendingStoreName = pendingStoreName;
        this.build = build;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        ModelRegistry registry =
                new ModelRegistry(
                        context.getStateStore(StoreNames.REGISTRY),
                        context.getStateStore(StoreNames.CONTROL));
        this.serving = new ServingModel<>(modelName, registry, build);
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
        Origin origin = Origin.of(context, record);
        var model = serving.current();
        if (model.isEmpty()) {
            if (!pending.add(origin)) {
                deadLetter(
                        origin,
                        "no version of "
                                + modelName
                                + " exists yet and "
                                + pending.limit()
                                + " events already wait for one");
            }
            return;
        }
        drain(model.get());
        scoreSafely(origin, model.get());
    }

    /** Scores one input with the given version, forwarding the score or a dead letter. */
    protected abstract void score(Origin origin, ServingModel.Serving<M> model);

    /**
     * The input decoded, or null after sending it to dead-letters with the reason (unreadable
     * bytes, or a tombstone where an event was expected).
     */
    protected final <T> T decode(Origin origin, Deserializer<T> deserializer, String what) {
        T value;
        try {
            value = deserializer.deserialize(origin.topic(), origin.value());
        } catch (RuntimeException unreadable) {
            deadLetter(origin, unreadable.getMessage());
            return null;
        }
        if (value == null) {
            deadLetter(
                    origin,
                    origin.topic() + ": a record without a value (tombstone) is no " + what);
        }
        return value;
    }

    protected final void deadLetter(Origin origin, String reason) {
        DeadLetter letter = DeadLetters.of(origin, "scorer", reason);
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

    private void scoreSafely(Origin origin, ServingModel.Serving<M> model) {
        try {
            score(origin, model);
        } catch (IllegalArgumentException e) {
            // The kernels refuse inputs they cannot score (non-finite values, ...) with a reason.
            deadLetter(origin, origin.topic() + ": " + e.getMessage());
        }
    }
}
