package dev.streamlearn.models.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, validated set of hyper-parameter values for one model family. Missing values take
 * the declared default; {@link #toMap()} and {@link #fromMap} convert to and from the string map
 * that travels in {@code ModelVersion.spec} and inside encoded weights.
 */
public final class ModelSpec {
    private final ModelFamily kind;
    private final Map<Param<?>, Object> values;

    private ModelSpec(ModelFamily kind, Map<Param<?>, Object> values) {
        this.kind = kind;
        this.values = Collections.unmodifiableMap(values);
    }

    /** The family's defaults. */
    public static ModelSpec defaults(ModelFamily kind) {
        Map<Param<?>, Object> values = new LinkedHashMap<>();
        for (Param<?> param : kind.params()) {
            values.put(param, param.defaultValue());
        }
        return new ModelSpec(kind, values);
    }

    /**
     * Reads a spec from its string form; absent names take their defaults.
     *
     * @throws IllegalArgumentException for an unknown name or an invalid value, naming both
     */
    public static ModelSpec fromMap(ModelFamily kind, Map<String, String> map) {
        Map<String, Param<?>> byName = new LinkedHashMap<>();
        kind.params().forEach(p -> byName.put(p.name(), p));
        for (String name : map.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown hyper-parameter '"
                                + name
                                + "' for "
                                + kind.id()
                                + ": expected one of "
                                + byName.keySet());
            }
        }
        Map<Param<?>, Object> values = new LinkedHashMap<>();
        for (Param<?> param : kind.params()) {
            String text = map.get(param.name());
            values.put(param, text == null ? param.defaultValue() : param.parse(text));
        }
        return new ModelSpec(kind, values);
    }

    public ModelFamily kind() {
        return kind;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> param) {
        if (!values.containsKey(param)) {
            throw new IllegalArgumentException(
                    "hyper-parameter " + param.name() + " does not belong to " + kind.id());
        }
        return (T) values.get(param);
    }

    /** A copy with one value replaced (validated). */
    public <T> ModelSpec with(Param<T> param, T value) {
        get(param);
        Map<Param<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(param, param.validate(value));
        return new ModelSpec(kind, copy);
    }

    /** Every value by name, in declaration order. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        values.forEach((param, value) -> map.put(param.name(), param.format(value)));
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other && kind == other.kind && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, values);
    }

    @Override
    public String toString() {
        return kind.id() + toMap();
    }
}
