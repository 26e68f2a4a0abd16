package dev.streamlearn.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the pipeline, bound to the serdes of its key and value, with the partition
 * count and topic configs it is created with. Instances live in {@link Topics}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Topic<K, V> {
    private final String name;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final int partitions;
    private final Map<String, String> configs;
    private final String description;

    Topic(
            String name,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            int partitions,
            Map<String, String> configs,
            String description) {
        this.name = Objects.requireNonNull(name);
        this.keySerde = Objects.requireNonNull(keySerde);
        this.valueSerde = Objects.requireNonNull(valueSerde);
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        this.partitions = partitions;
        this.configs = Map.copyOf(configs);
        this.description = Objects.requireNonNull(description);
    }

    public String name() {
        return name;
    }

    /**
     * A topic of the same records, partitions and configs under another name: a pipeline file's
     * input topic, created like the family topic it stands in for.
     */
    public Topic<K, V> renamed(String otherName) {
        return otherName.equals(name)
                ? this
                : new Topic<>(otherName, keySerde, valueSerde, partitions, configs, description);
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    public int partitions() {
        return partitions;
    }

    /** Topic-level configs ({@code cleanup.policy}, {@code max.message.bytes}, ...). */
    public Map<String, String> configs() {
        return configs;
    }

    /** One line saying what the topic carries, for help texts and listings. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name;
    }
}
