package dev.streamlearn.scorer.registry;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.io.Origins;
import dev.streamlearn.scorer.io.RejectedVersionSink;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link LiveRegistry} the promotion gate's decisions from {@code model-events}, so every
 * scorer instance serves the version the one gate task of a model promoted ({@code
 * RegistryState.decide}). The latest record of each model is kept in the global {@link
 * StoreNames#DECISIONS} store.
 */
public final class GateUpdater implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(GateUpdater.class);

    private final LiveRegistry registry;
    private final RejectedVersionSink rejections;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    public GateUpdater(LiveRegistry registry, RejectedVersionSink rejections) {
        this.registry = registry;
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.DECISIONS);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        RecordOrigin origin = Origins.of(context, record);
        ModelEvent event =
                Decoded.of(Topics.MODEL_EVENTS, origin, "ModelEvent")
                        .orElse(
                                reason -> {
                                    LOG.warn(
                                            "refused a model-events record at {}: {}",
                                            origin,
                                            reason);
                                    rejections.reject(
                                            origin.key(),
                                            DeadLetters.of(
                                                    origin, "scorer-gate", reason, Instant.now()));
                                });
        if (event == null) {
            return;
        }
        registry.decided(registry.state().decide(event));
        store.put(event.getModel(), record.value());
        // Every instance folds every decision in; the one task that made it has logged it.
        LOG.debug(
                "{} version {} {}: {}",
                event.getModel(),
                event.getVersion(),
                event.getDecision(),
                event.getReason());
    }
}
