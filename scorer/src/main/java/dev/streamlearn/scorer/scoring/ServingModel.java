package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.scorer.registry.LiveRegistry;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The model a scoring task uses right now: asks the registry which version serves (pinned or
 * latest) on every event, and builds a kernel only when it changes, from the weights the registry
 * verified once when it accepted them. Kernels are per task because they are not thread-safe; the
 * hot swap is just the next lookup seeing a new number, with no restart and no pause.
 *
 * @param <M> the scoring model built from weights
 */
public final class ServingModel<M> {
    /** A decoded model and the version it is. */
    public record Serving<M>(long version, M model) {}

    private final String name;
    private final LiveRegistry registry;
    private final Function<ModelWeights, M> build;
    private Serving<M> current;

    ServingModel(String name, LiveRegistry registry, Function<ModelWeights, M> build) {
        this.name = name;
        this.registry = registry;
        this.build = build;
    }

    String name() {
        return name;
    }

    /** The serving model, or empty while the registry holds no version of it. */
    Optional<Serving<M>> current() {
        OptionalLong serving = registry.serving(name);
        if (serving.isEmpty()) {
            return Optional.empty();
        }
        long version = serving.getAsLong();
        if (current != null && current.version() == version) {
            return Optional.of(current);
        }
        Optional<ModelWeights> weights = registry.weights(name, version);
        if (weights.isEmpty()) {
            // Evicted by the registry between the two lookups: keep what served until now.
            return Optional.ofNullable(current);
        }
        current = new Serving<>(version, build.apply(weights.get()));
        return Optional.of(current);
    }
}
