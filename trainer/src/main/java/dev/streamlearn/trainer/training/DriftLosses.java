package dev.streamlearn.trainer.training;

import dev.streamlearn.models.family.lstm.NormalisedWindow;

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
     * A forecast's absolute error over its window's mean absolute step (MASE's scale, Hyndman and
     * Koehler 2006, as the promotion gate scales series errors), {@code a}, squashed to {@code a /
     * (1 + a)}: scale-free, so every series of a model weighs alike, and bounded, so one wild point
     * moves the window's mean by little. NaN (not watched) when either is not finite.
     *
     * <p>Not the window's standard deviation, which the forecaster normalises by: a daily cycle's
     * slope is most of a window's deviation, so the deviation shrinks on the cycle's flat stretches
     * and the same noise there cost two to three times as much, a rise of the mean loss twice a day
     * that ADWIN rightly took for changes (BENCHMARKS.md, "Drift"). The step-to-step noise a
     * forecast faces barely changes with the cycle's phase; and a level shift inside the window,
     * which inflates its deviation many times, adds one step to the steps' mean, so the
     * forecaster's error after a shift still shows.
     */
    public static double series(double error, NormalisedWindow window) {
        float[] inputs = window.inputs();
        double steps = 0;
        for (int i = 1; i < inputs.length; i++) {
            steps += Math.abs(inputs[i] - inputs[i - 1]);
        }
        double meanStep = inputs.length > 1 ? steps / (inputs.length - 1) * window.scale() : 0;
        // A flat window has no steps: a tiny fraction of its level instead, as the gate's loss
        // does, so an error off a constant series counts as a large one.
        double floor = Math.max(1e-9, 1e-6 * Math.abs(window.last()));
        double a = Math.abs(error) / Math.max(meanStep, floor);
        return Double.isFinite(a) ? a / (1 + a) : Double.NaN;
    }
}
