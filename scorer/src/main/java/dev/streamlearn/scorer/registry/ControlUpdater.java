package dev.streamlearn.scorer.registry;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.scorer.scoring.DeadLetters;
import dev.streamlearn.scorer.scoring.Origin;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the global {@link StoreNames#CONTROL} store from {@code model-control}: per model, the
 * pinned version, or nothing when it follows its latest version. The latest record wins.
 */
public final class ControlUpdater implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlUpdater.class);

    private final RejectedVersionSink rejections;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    public ControlUpdater(RejectedVersionSink rejections) {
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
        Origin origin = Origin.of(context, record);
        ModelControl control;
        try {
            control =
                    Topics.MODEL_CONTROL
                            .valueSerde()
                            .deserializer()
                            .deserialize(origin.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("refused a model-control record at {}: {}", origin, e.getMessage());
            rejections.reject(
                    origin.key(), DeadLetters.of(origin, "scorer-control", e.getMessage()));
            return;
        }
        boolean pin = control.getMode() == ControlMode.PIN;
        if (pin && (control.getPinnedVersion() == null || control.getPinnedVersion() < 1)) {
            String reason =
                    "model-control for "
                            + control.getModel()
                            + " pins version "
                            + control.getPinnedVersion()
                            + ", expected a version >= 1";
            rejections.reject(origin.key(), DeadLetters.of(origin, "scorer-control", reason));
            return;
        }
        long pinned = pin ? control.getPinnedVersion() : 0;
        store.put(control.getModel(), RegistryKeys.encodeLong(pinned));
        LOG.info(
                "{} now {}",
                control.getModel(),
                pin ? "pinned to version " + pinned : "follows its latest version");
    }
}
