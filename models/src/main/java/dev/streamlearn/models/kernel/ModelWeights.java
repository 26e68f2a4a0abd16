package dev.streamlearn.models.kernel;

import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model as it travels and is scored: its spec and its parameters in {@link ParameterLayout}
 * order. The array is owned by this object; callers must not change it.
 */
public record ModelWeights(ModelSpec spec, float[] params) {
    public ModelWeights {
        Objects.requireNonNull(spec);
        int expected = ParameterLayout.of(spec).size();
        if (params.length != expected) {
            throw new IllegalArgumentException(
                    spec.kind().id() + " needs " + expected + " parameters, got " + params.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelWeights w
                && spec.equals(w.spec)
                && Arrays.equals(params, w.params);
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return "ModelWeights[" + spec + ", " + params.length + " params]";
    }
}
