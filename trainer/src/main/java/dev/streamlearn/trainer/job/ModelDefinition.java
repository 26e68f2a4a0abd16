package dev.streamlearn.trainer.job;

import dev.streamlearn.models.spec.ModelKind;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One model the job trains: its name (the key of {@code model-versions}), its family and its
 * hyper-parameters. Kept in string form so it can travel inside the job graph.
 *
 * @param name the model name, e.g. {@code text-classifier}
 * @param kind the model family
 * @param spec the hyper-parameters by name (absent ones take their defaults)
 */
public record ModelDefinition(String name, ModelKind kind, Map<String, String> spec)
        implements Serializable {

    public ModelDefinition {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(kind, "model kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a model name must not be blank");
        }
        spec = new LinkedHashMap<>(spec);
        ModelSpec.fromMap(kind, spec); // fails now, naming the parameter, rather than in the job
    }

    /** The family's default model, named after the family (DESIGN.md, "Models"). */
    public static ModelDefinition defaults(ModelKind kind) {
        return of(kind.id(), ModelSpec.defaults(kind));
    }

    public static ModelDefinition of(String name, ModelSpec spec) {
        return new ModelDefinition(name, spec.kind(), spec.toMap());
    }

    public ModelSpec modelSpec() {
        return ModelSpec.fromMap(kind, spec);
    }
}
