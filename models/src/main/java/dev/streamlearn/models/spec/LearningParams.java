package dev.streamlearn.models.spec;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;

/**
 * The hyper-parameters of how a family learns that the classifier families declare alike: Adam's
 * {@code learningRate}, {@code batchSize} and the initialisation's {@code seed}. Each call makes a
 * new parameter, so each family keeps its own.
 */
public final class LearningParams {
    private LearningParams() {}

    /** {@code learningRate}: a finite number in (0, 1]. */
    public static Param<Double> learningRate(String description, double defaultValue) {
        return Param.doubleParam("learningRate", description, defaultValue, finiteInLeftOpen(0, 1));
    }

    /** {@code batchSize}: 8 by default, in [1, 65536]. */
    public static Param<Integer> batchSize() {
        return Param.intParam(
                "batchSize", "Examples per mini-batch (one fit per batch).", 8, inRange(1, 65536));
    }

    /** {@code seed}: 42 by default, any long. */
    public static Param<Long> seed() {
        return Param.longParam(
                "seed",
                "Seed of the weight initialisation.",
                42L,
                inRange(Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
