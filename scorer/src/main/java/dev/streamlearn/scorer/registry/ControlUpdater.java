package dev.streamlearn.scorer.registry;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
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
 * Feeds the {@link LiveRegistry}'s pins from {@code model-control}: per model, pin one version or
 * follow the latest; the latest record wins. The record is kept in the global {@link
 * StoreNames#CONTROL} store under its model.
 */
public final class ControlUpdater implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlUpdater.class);

    private final LiveRegistry registry;
    private final RejectedVersionSink rejections;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    public ControlUpdater(LiveRegistry registry, RejectedVersionSink rejections) {
        this.registry = registry;
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.CONTROL);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // compaction tombstones carry no decision
        }
        RecordOrigin origin = Origins.of(context, record);
        ModelControl control =
                Decoded.of(Topics.MODEL_CONTROL, origin, "ModelControl")
                        .orElse(reason -> reject(origin, reason));
        if (control == null) {
            return;
        }
        try {
            registry.controlled(registry.state().control(control));
        } catch (IllegalArgumentException invalid) {
            reject(origin, invalid.getMessage());
            return;
        }
        store.put(control.getModel(), record.value());
        boolean pin = control.getMode() == ControlMode.PIN;
        LOG.info(
                "{} now {}",
                control.getModel(),
                pin
                        ? "pinned to version " + control.getPinnedVersion()
                        : "follows its latest version");
    }

    private void reject(RecordOrigin origin, String reason) {
        LOG.warn("refused a model-control record at {}: {}", origin, reason);
        rejections.reject(
                origin.key(), DeadLetters.of(origin, "scorer-control", reason, Instant.now()));
    }
}
