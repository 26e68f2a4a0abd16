package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The kernels of the versions one gate task scores, built once per version from the weights the
 * registry verified (as {@code ServingModel} does for scoring), dropped when no longer asked for.
 *
 * @param <M> the scoring model
 */
final class Kernels<M> {
    private final LiveRegistry registry;
    private final Function<ModelWeights, M> build;
    private final Map<String, M> built = new HashMap<>();

    Kernels(LiveRegistry registry, Function<ModelWeights, M> build) {
        this.registry = registry;
        this.build = build;
    }

    /** The kernel of a held version, or null for 0 or a version no longer held. */
    M of(String model, long version) {
        if (version == 0) {
            return null;
        }
        String key = model + "@" + version;
        M kernel = built.get(key);
        if (kernel == null) {
            kernel = registry.weights(model, version).map(build).orElse(null);
            if (kernel != null) {
                built.put(key, kernel);
            }
        }
        return kernel;
    }

    /** Forgets every kernel of {@code model} but those of {@code keep}. */
    void retain(String model, Set<Long> keep) {
        built.keySet()
                .removeIf(
                        k ->
                                k.startsWith(model + "@")
                                        && !keep.contains(
                                                Long.parseLong(k.substring(model.length() + 1))));
    }
}
