package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.BackwardReader;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.PublishedVersion;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Finds each model's newest committed version on {@code model-versions}, reading each partition
 * backwards from its end in small steps, so a start costs a few records however long the topic is
 * (it keeps up to 2 GiB of versions of a few MB each): back to the model's newest full version when
 * the newest is a delta, whose parent's weights are rebuilt from there.
 */
public final class PublishedVersions {
    /** Offsets read per step back; transaction markers take offsets too. */
    private static final int STEP = 16;

    private PublishedVersions() {}

    /**
     * {@code models}, each continuing after its newest published version, if it has one, and from
     * its weights if they verify against {@code trust}.
     */
    public static List<ModelDefinition> continuing(
            String bootstrap, List<ModelDefinition> models, VersionTrust trust, Duration timeout) {
        return continuing(KafkaConnection.plaintext(bootstrap), models, trust, timeout);
    }

    /** As {@link #continuing(String, List, VersionTrust, Duration)} through {@code kafka}. */
    public static List<ModelDefinition> continuing(
            KafkaConnection kafka,
            List<ModelDefinition> models,
            VersionTrust trust,
            Duration timeout) {
        Map<String, PublishedVersion> latest =
                latest(kafka, models.stream().map(ModelDefinition::name).toList(), trust, timeout);
        return models.stream()
                .map(
                        m ->
                                latest.containsKey(m.name())
                                        ? m.continuingAfter(latest.get(m.name()))
                                        : m)
                .toList();
    }

    /**
     * The newest committed version of each of {@code models} on {@code model-versions}; models
     * without one are absent. Records that do not decode are skipped (the scorer dead-letters
     * them).
     *
     * @throws IllegalStateException if the topic cannot be read within {@code timeout}
     */
    public static Map<String, PublishedVersion> latest(
            String bootstrap, Collection<String> models, VersionTrust trust, Duration timeout) {
        return latest(KafkaConnection.plaintext(bootstrap), models, trust, timeout);
    }

    /** As {@link #latest(String, Collection, VersionTrust, Duration)} through {@code kafka}. */
    public static Map<String, PublishedVersion> latest(
            KafkaConnection kafka,
            Collection<String> models,
            VersionTrust trust,
            Duration timeout) {
        String topic = Topics.MODEL_VERSIONS.name();
        Map<String, PublishedVersion> found = new HashMap<>();
        if (models.isEmpty()) {
            return found;
        }
        // Per model, its records from the newest full version on, in topic order: the newest may
        // be a delta, whose parent's full weights are rebuilt from there.
        Map<String, Deque<ModelVersion>> chains = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(kafka, "streamlearn-trainer-published", timeout)) {
            Set<String> wanted = new HashSet<>(models);
            BackwardReader.read(
                    consumer,
                    topic,
                    STEP,
                    timeout,
                    chunk -> {
                        for (int i = chunk.size() - 1; i >= 0; i--) {
                            ModelVersion v = decode(topic, chunk.get(i).value());
                            if (v != null && wanted.contains(v.getModel())) {
                                chains.computeIfAbsent(v.getModel(), m -> new ArrayDeque<>())
                                        .addFirst(v);
                                if (v.getDeltaOf() == null) {
                                    wanted.remove(v.getModel());
                                }
                            }
                        }
                        return !wanted.isEmpty();
                    });
        }
        chains.forEach((model, chain) -> found.put(model, newest(chain, trust)));
        return found;
    }

    /**
     * The highest-numbered of {@code chain}, with its parent's full weights when it is a delta and
     * the versions before it rebuild them.
     */
    private static PublishedVersion newest(Deque<ModelVersion> chain, VersionTrust trust) {
        ModelVersion newest =
                chain.stream()
                        .max(Comparator.comparingLong(ModelVersion::getVersion))
                        .orElseThrow();
        if (newest.getDeltaOf() == null) {
            return new PublishedVersion(newest, trust);
        }
        VersionChain rebuilt = new VersionChain(trust);
        for (ModelVersion v : chain) {
            if (v == newest) {
                break;
            }
            try {
                rebuilt.verify(v);
            } catch (InvalidVersionException refusedByTheScorerToo) {
                // the chain stays where it was; the deltas after it fail as well
            }
        }
        return rebuilt.held()
                .filter(parent -> parent.version() == newest.getDeltaOf())
                .map(
                        parent ->
                                new PublishedVersion(
                                        newest, trust, WeightsCodec.encode(parent.weights())))
                .orElseGet(() -> new PublishedVersion(newest, trust));
    }

    private static ModelVersion decode(String topic, byte[] value) {
        try {
            return value == null
                    ? null
                    : Topics.MODEL_VERSIONS.valueSerde().deserializer().deserialize(topic, value);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
