package dev.streamlearn.scorer.registry;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.CommittedReader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The registry as every scorer instance sees it, read straight from {@code model-versions} and
 * {@code model-control} with the same rules (the {@link VersionGate}, the last K versions), for
 * {@code streamlearn models} — which needs no running scorer to answer.
 */
public final class RegistrySnapshot {
    /** One model: its held versions (oldest first, weights left out), latest and pin. */
    public record Model(
            String name, String kind, List<ModelVersion> held, long latest, OptionalLong pinned) {
        /** The version scoring uses: the pin while it is held, else the latest. */
        public long serving() {
            if (pinned.isPresent() && holds(pinned.getAsLong())) {
                return pinned.getAsLong();
            }
            return latest;
        }

        public boolean holds(long version) {
            return held.stream().anyMatch(v -> v.getVersion() == version);
        }

        public List<Long> heldVersions() {
            return held.stream().map(ModelVersion::getVersion).toList();
        }
    }

    private final Map<String, Model> models;

    private RegistrySnapshot(Map<String, Model> models) {
        this.models = models;
    }

    public Map<String, Model> models() {
        return models;
    }

    public Optional<Model> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** Reads both topics up to their current end. */
    public static RegistrySnapshot read(String bootstrap, int versionsKept, Duration timeout) {
        Map<String, List<ModelVersion>> held = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                readAll(bootstrap, Topics.MODEL_VERSIONS.name(), timeout)) {
            ModelVersion version;
            try {
                version =
                        Topics.MODEL_VERSIONS
                                .valueSerde()
                                .deserializer()
                                .deserialize(record.topic(), record.value());
            } catch (RuntimeException unreadable) {
                continue; // the scorer refuses it the same way
            }
            if (version == null) {
                continue;
            }
            List<ModelVersion> versions =
                    held.computeIfAbsent(version.getModel(), m -> new ArrayList<>());
            long highest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).getVersion();
            if (VersionGate.check(version, highest).accepted()) {
                version.setWeights(ByteBuffer.allocate(0)); // keep only what people read
                versions.add(version);
                if (versions.size() > versionsKept) {
                    versions.remove(0);
                }
            }
        }
        Map<String, Long> pins = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                readAll(bootstrap, Topics.MODEL_CONTROL.name(), timeout)) {
            try {
                ModelControl control =
                        Topics.MODEL_CONTROL
                                .valueSerde()
                                .deserializer()
                                .deserialize(record.topic(), record.value());
                if (control != null) {
                    pins.put(
                            control.getModel(),
                            control.getMode() == ControlMode.PIN ? control.getPinnedVersion() : 0L);
                }
            } catch (RuntimeException unreadable) {
                // refused by the scorer too
            }
        }
        Map<String, Model> models = new TreeMap<>();
        held.forEach(
                (name, versions) -> {
                    if (!versions.isEmpty()) {
                        long pin = pins.getOrDefault(name, 0L);
                        ModelVersion latest = versions.get(versions.size() - 1);
                        models.put(
                                name,
                                new Model(
                                        name,
                                        latest.getKind(),
                                        List.copyOf(versions),
                                        latest.getVersion(),
                                        pin > 0 ? OptionalLong.of(pin) : OptionalLong.empty()));
                    }
                });
        return new RegistrySnapshot(models);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap, String topic, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(bootstrap, "streamlearn-models", timeout)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
