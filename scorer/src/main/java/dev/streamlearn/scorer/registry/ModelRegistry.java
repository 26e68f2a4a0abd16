package dev.streamlearn.scorer.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read view of the registry and control stores: which versions of a model are held, which is the
 * latest, which serves. Every scorer instance sees the same, since both stores are global.
 */
public final class ModelRegistry {
    private final ReadOnlyKeyValueStore<String, byte[]> registry;
    private final ReadOnlyKeyValueStore<String, byte[]> control;

    public ModelRegistry(
            ReadOnlyKeyValueStore<String, byte[]> registry,
            ReadOnlyKeyValueStore<String, byte[]> control) {
        this.registry = registry;
        this.control = control;
    }

    public OptionalLong latest(String model) {
        byte[] latest = registry.get(RegistryKeys.latest(model));
        return latest == null
                ? OptionalLong.empty()
                : OptionalLong.of(RegistryKeys.decodeLong(latest));
    }

    /** The pinned version, or empty when the model follows its latest version. */
    public OptionalLong pinned(String model) {
        byte[] pinned = control.get(model);
        if (pinned == null) {
            return OptionalLong.empty();
        }
        long version = RegistryKeys.decodeLong(pinned);
        return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
    }

    /**
     * The version that serves: the pinned one while the registry holds it, else the latest. A pin
     * on a version that has left the registry falls back to the latest rather than stop scoring.
     */
    public OptionalLong serving(String model) {
        OptionalLong pinned = pinned(model);
        if (pinned.isPresent() && weights(model, pinned.getAsLong()) != null) {
            return pinned;
        }
        return latest(model);
    }

    /** The encoded weights of one held version, or null. */
    public byte[] weights(String model, long version) {
        return registry.get(RegistryKeys.version(model, version));
    }

    /** The held versions of a model, oldest first. */
    public List<Long> versions(String model) {
        List<Long> versions = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                registry.prefixScan(RegistryKeys.versionPrefix(model), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                versions.add(RegistryKeys.versionOf(entry.key));
            }
        }
        return versions;
    }
}
