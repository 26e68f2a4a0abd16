package dev.streamlearn.trainer.learning;

/** The one check of {@link Learner#scaleLearningRate}'s factor. */
public final class LearningRates {
    private LearningRates() {}

    public static double checkedFactor(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException(
                    "a learning rate factor must be positive and finite, was " + factor);
        }
        return factor;
    }
}
