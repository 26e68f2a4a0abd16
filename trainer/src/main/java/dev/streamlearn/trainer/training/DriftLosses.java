package dev.streamlearn.trainer.training;

/**
 * The per-example losses {@link DriftWatch} watches, each in [0, 1] as ADWIN's bound needs, from
 * what the prequential test computes anyway.
 */
public final class DriftLosses {
    private DriftLosses() {}

    /** A classifier's 0/1 error: its mistakes are what a remapped label makes. */
    public static double text(boolean correct) {
        return correct ? 0 : 1;
    }

    /**
     * A forecast's absolute error in its window's scale, {@code a}, squashed to {@code a / (1 +
     * a)}: scale-free, so every series of a model weighs alike, and bounded, so one wild point
     * moves the window's mean by little. NaN (not watched) when either is not finite.
     */
    public static double series(double error, double scale) {
        double a = Math.abs(error) / scale;
        return Double.isFinite(a) ? a / (1 + a) : Double.NaN;
    }
}
