package dev.streamlearn.models.spec;

/** The validators hyper-parameters are declared with (after flink-ml's {@code ParamValidators}). */
public final class ParamValidators {
    private ParamValidators() {}

    public static <T extends Comparable<T>> ParamValidator<T> gt(T lower) {
        return v -> v.compareTo(lower) > 0 ? null : "must be > " + lower;
    }

    public static <T extends Comparable<T>> ParamValidator<T> inRange(T lower, T upper) {
        return v ->
                v.compareTo(lower) >= 0 && v.compareTo(upper) <= 0
                        ? null
                        : "must be in [" + lower + ", " + upper + "]";
    }

    /** Finite doubles strictly inside (lower, upper]. */
    public static ParamValidator<Double> finiteInLeftOpen(double lower, double upper) {
        return v ->
                Double.isFinite(v) && v > lower && v <= upper
                        ? null
                        : "must be a finite number in (" + lower + ", " + upper + "]";
    }

    public static ParamValidator<Integer> powerOfTwoInRange(int lower, int upper) {
        return v ->
                v >= lower && v <= upper && Integer.bitCount(v) == 1
                        ? null
                        : "must be a power of two in [" + lower + ", " + upper + "]";
    }

    public static ParamValidator<String> any() {
        return v -> null;
    }
}
