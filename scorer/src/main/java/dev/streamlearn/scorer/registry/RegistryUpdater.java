package dev.streamlearn.scorer.registry;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.scorer.ScorerMetrics;
import dev.streamlearn.scorer.scoring.DeadLetters;
import dev.streamlearn.scorer.scoring.Origin;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the global {@link StoreNames#REGISTRY} store from {@code model-versions}: each version that
 * passes the {@link VersionGate} is stored (its encoded weights) and becomes the latest; the oldest
 * beyond the last K are dropped. Refused versions go to the {@link RejectedVersionSink}.
 */
public final class RegistryUpdater implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryUpdater.class);

    private final int versionsKept;
    private final RejectedVersionSink rejections;
    private final ScorerMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;
    private ModelRegistry registry;

    public RegistryUpdater(
            int versionsKept, RejectedVersionSink rejections, ScorerMetrics metrics) {
        this.versionsKept = versionsKept;
        this.rejections = rejections;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.REGISTRY);
        // Only the registry half of the view is used here.
        this.registry = new ModelRegistry(store, store);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // versions are never deleted by tombstones; retention removes them
        }
        Origin origin = Origin.of(context, record);
        ModelVersion version;
        try {
            version =
                    Topics.MODEL_VERSIONS
                            .valueSerde()
                            .deserializer()
                            .deserialize(origin.topic(), record.value());
        } catch (RuntimeException e) {
            reject(origin, e.getMessage());
            return;
        }
        String model = version.getModel();
        VersionGate.Verdict verdict = VersionGate.check(version, registry.latest(model).orElse(0));
        if (!verdict.accepted()) {
            reject(origin, verdict.rejection());
            return;
        }
        store.put(
                RegistryKeys.version(model, version.getVersion()),
                WeightsCodec.encode(verdict.weights()));
        store.put(RegistryKeys.latest(model), RegistryKeys.encodeLong(version.getVersion()));
        evictBeyondLimit(model);
        metrics.versionsAccepted.increment();
        LOG.info("accepted {} version {}", model, version.getVersion());
    }

    private void evictBeyondLimit(String model) {
        List<Long> held = registry.versions(model);
        for (int i = 0; i < held.size() - versionsKept; i++) {
            store.delete(RegistryKeys.version(model, held.get(i)));
        }
    }

    private void reject(Origin origin, String reason) {
        metrics.versionsRejected.increment();
        LOG.warn("refused a model version at {}: {}", origin, reason);
        rejections.reject(origin.key(), DeadLetters.of(origin, "scorer-registry", reason));
    }
}
