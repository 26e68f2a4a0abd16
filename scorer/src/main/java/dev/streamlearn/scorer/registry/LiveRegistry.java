package dev.streamlearn.scorer.registry;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.VersionTrust;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry one scorer instance serves from: the {@link RegistryState} its global processors
 * fold {@code model-versions}, {@code model-control} and {@code model-events} into, and the
 * verified weights of every held version, decoded once when accepted. The global thread writes;
 * every stream thread reads a whole state without locking, and builds its own kernels from the
 * shared, read-only weights.
 */
public final class LiveRegistry {
    private final ConcurrentMap<String, ModelWeights> weights = new ConcurrentHashMap<>();
    private volatile RegistryState state;

    /** Holds the last {@code versionsKept} versions per model of those {@code trust} accepts. */
    public LiveRegistry(int versionsKept, VersionTrust trust) {
        this(RegistryState.empty(versionsKept, trust));
    }

    /** Starts from {@code empty} (its versions kept, trust and default policy). */
    public LiveRegistry(RegistryState empty) {
        this.state = empty;
    }

    public RegistryState state() {
        return state;
    }

    /** The version of {@code model} that serves now, or empty while none is held. */
    public OptionalLong serving(String model) {
        return state.serving(model);
    }

    /** The weights of a held version; empty once it has been evicted. */
    public Optional<ModelWeights> weights(String model, long version) {
        return Optional.ofNullable(weights.get(key(model, version)));
    }

    void accepted(RegistryState.Admitted admitted) {
        String model = admitted.version().model();
        // Weights first, so a reader who sees the new version in the state also finds them.
        weights.put(key(model, admitted.version().version()), admitted.version().weights());
        state = admitted.state();
        admitted.evicted().forEach(v -> weights.remove(key(model, v)));
    }

    /** A version refused for its number whose full weights are held for the deltas after it. */
    void followed(RegistryState next) {
        state = next;
    }

    void controlled(RegistryState next) {
        state = next;
    }

    void decided(RegistryState next) {
        state = next;
    }

    private static String key(String model, long version) {
        return model + "@" + version;
    }
}
