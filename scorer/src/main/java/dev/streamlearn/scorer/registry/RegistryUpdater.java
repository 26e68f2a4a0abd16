package dev.streamlearn.scorer.registry;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.scorer.io.Origins;
import dev.streamlearn.scorer.io.RejectedVersionSink;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link LiveRegistry} from {@code model-versions}: each version the {@link
 * RegistryState} admits serves from now on, and its bytes, exactly as received, are kept in the
 * global {@link StoreNames#REGISTRY} store while it is held. Refused versions go to the {@link
 * RejectedVersionSink}, with the reason; those refused for whom they come from (unsigned, signed by
 * a key not trusted, a signature that does not match) are also counted apart. The version serving
 * is untouched by a refusal. A delta version (only what changed since {@code deltaOf}) is rebuilt
 * on the full weights the registry holds of that version and verified against the hash it
 * announces; one whose parent is not held is refused with that reason, as are the deltas after it,
 * until the next version with full weights.
 */
public final class RegistryUpdater implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryUpdater.class);

    private final LiveRegistry registry;
    private final RejectedVersionSink rejections;
    private final LongAdder accepted;
    private final LongAdder rejected;
    private final LongAdder untrusted;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    public RegistryUpdater(
            LiveRegistry registry,
            RejectedVersionSink rejections,
            LongAdder accepted,
            LongAdder rejected,
            LongAdder untrusted) {
        this.registry = registry;
        this.rejections = rejections;
        this.accepted = accepted;
        this.rejected = rejected;
        this.untrusted = untrusted;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.REGISTRY);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // versions are never deleted by tombstones; retention removes them
        }
        RecordOrigin origin = Origins.of(context, record);
        ModelVersion version =
                Decoded.of(Topics.MODEL_VERSIONS, origin, "ModelVersion")
                        .orElse(reason -> reject(origin, reason));
        if (version == null) {
            return;
        }
        RegistryState.Admission admission = registry.state().admit(version);
        if (admission instanceof RegistryState.Refused refused) {
            if (refused.untrusted()) {
                untrusted.increment();
            }
            if (refused.followed() != null) {
                registry.followed(refused.followed());
            }
            reject(origin, refused.reason());
            return;
        }
        RegistryState.Admitted admitted = (RegistryState.Admitted) admission;
        String model = version.getModel();
        store.put(StoreNames.versionKey(model, version.getVersion()), copyOf(version.getWeights()));
        registry.accepted(admitted);
        admitted.evicted().forEach(v -> store.delete(StoreNames.versionKey(model, v)));
        accepted.increment();
        // A version every publish interval: the dashboard and `models list` show them; the
        // console (`local`'s status line) would drown in them.
        LOG.debug("accepted {} version {}", model, version.getVersion());
    }

    private void reject(RecordOrigin origin, String reason) {
        rejected.increment();
        LOG.warn("refused a model version at {}: {}", origin, reason);
        rejections.reject(
                origin.key(), DeadLetters.of(origin, "scorer-registry", reason, Instant.now()));
    }
}
