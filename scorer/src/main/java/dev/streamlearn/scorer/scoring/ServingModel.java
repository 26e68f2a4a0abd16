package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.scorer.registry.ModelRegistry;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The model a scoring task uses right now: asks the registry which version serves (pinned or
 * latest) on every event, and decodes a version only when it changes. Decoded models are per task
 * because the kernels are not thread-safe; the hot swap is just the next lookup seeing a new
 * number, with no restart and no pause.
 *
 * @param <M> the scoring model built from weights
 */
final class ServingModel<M> {
    /** A decoded model and the version it is. */
    record Serving<M>(long version, M model) {}

    private final String name;
    private final ModelRegistry registry;
    private final Function<ModelWeights, M> build;
    private Serving<M> current;

    ServingModel(String name, ModelRegistry registry, Function<ModelWeights, M> build) {
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
        byte[] weights = registry.weights(name, version);
        if (weights == null) {
            // Evicted by the registry between the two lookups: keep what served until now.
            return Optional.ofNullable(current);
        }
        current = new Serving<>(version, build.apply(decode(version, weights)));
        return Optional.of(current);
    }

    private ModelWeights decode(long version, byte[] weights) {
        try {
            return WeightsCodec.decode(weights);
        } catch (WeightsFormatException e) {
            // The registry only holds weights that decoded when they were accepted.
            throw new IllegalStateException(name + " version " + version + " no longer decodes", e);
        }
    }
}
