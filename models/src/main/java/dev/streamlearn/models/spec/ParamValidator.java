package dev.streamlearn.models.spec;

/**
 * Checks one hyper-parameter value.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ParamValidator<T> {
    /** Returns {@code null} when valid, else what was expected, e.g. "must be > 0". */
    String check(T value);
}
