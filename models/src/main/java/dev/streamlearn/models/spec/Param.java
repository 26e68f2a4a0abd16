package dev.streamlearn.models.spec;

import java.util.Objects;
import java.util.function.Function;

/**
 * One hyper-parameter, declared once: its name, what it means, its default and what values are
 * valid. Modelled on flink-ml's {@code IntParam("globalBatchSize", "...", 32, gt(0))}.
 *
 * <p>Values travel as strings (in {@code ModelVersion.spec} and inside encoded weights), so each
 * parameter also knows how to parse and format its value.
 *
 * @param <T> the value type
 */
public final class Param<T> {
    private final String name;
    private final String description;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final ParamValidator<T> validator;

    private Param(
            String name,
            String description,
            T defaultValue,
            Function<String, T> parser,
            ParamValidator<T> validator) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.parser = parser;
        this.validator = validator;
        String problem = validator.check(defaultValue);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "default of " + name + " is invalid: " + defaultValue + " " + problem);
        }
    }

    public static Param<Integer> intParam(
            String name, String description, int defaultValue, ParamValidator<Integer> validator) {
        return new Param<>(name, description, defaultValue, Integer::valueOf, validator);
    }

    public static Param<Long> longParam(
            String name, String description, long defaultValue, ParamValidator<Long> validator) {
        return new Param<>(name, description, defaultValue, Long::valueOf, validator);
    }

    public static Param<Double> doubleParam(
            String name,
            String description,
            double defaultValue,
            ParamValidator<Double> validator) {
        return new Param<>(name, description, defaultValue, Double::valueOf, validator);
    }

    public static Param<String> stringParam(
            String name,
            String description,
            String defaultValue,
            ParamValidator<String> validator) {
        return new Param<>(name, description, defaultValue, s -> s, validator);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /**
     * Parses and validates a textual value.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what was expected
     */
    public T parse(String text) {
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "hyper-parameter "
                            + name
                            + ": cannot read '"
                            + text
                            + "' ("
                            + description
                            + ")",
                    e);
        }
        return validate(value);
    }

    /**
     * Returns the value if valid.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what was expected
     */
    public T validate(T value) {
        String problem = value == null ? "must be set" : validator.check(value);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "hyper-parameter " + name + " = " + value + " " + problem);
        }
        return value;
    }

    public String format(Object value) {
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
