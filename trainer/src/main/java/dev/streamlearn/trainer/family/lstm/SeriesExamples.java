package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Offer;

/**
 * How every {@code lstm-forecaster} engine turns (window, next value) into a training example: the
 * target is the change to the next value in window scales, clipped to {@code ±targetClip}. Refused:
 * a non-finite next value, one beyond {@code maxAbsValue}, a window whose length is not the spec's
 * or that holds a non-finite value, and a non-finite target.
 */
final class SeriesExamples {
    private final int window;
    private final double maxAbsValue;
    private final float targetClip;

    SeriesExamples(ModelSpec spec) {
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.maxAbsValue = spec.get(LstmForecasterSpec.MAX_ABS_VALUE);
        this.targetClip = spec.get(LstmForecasterSpec.TARGET_CLIP).floatValue();
    }

    /** Why this pair cannot be learned, or null if it can. */
    Offer refusal(NormalisedWindow window, double next) {
        if (!Double.isFinite(next)) {
            return Offer.rejected("value is " + next + ", expected a finite number");
        }
        if (Math.abs(next) > maxAbsValue) {
            return Offer.rejected("|value| " + next + " exceeds maxAbsValue " + maxAbsValue);
        }
        if (window.inputs().length != this.window) {
            return Offer.rejected(
                    "window has "
                            + window.inputs().length
                            + " points, the spec says "
                            + this.window);
        }
        for (float x : window.inputs()) {
            if (!Float.isFinite(x)) {
                return Offer.rejected("window holds " + x + ", expected finite numbers");
            }
        }
        double target = window.target(next);
        if (!Double.isFinite(target)) {
            return Offer.rejected("change " + target + " to the next value is not finite");
        }
        return null;
    }

    /** The example of a pair {@link #refusal} accepts (its own copy of the window). */
    SeriesExample example(NormalisedWindow window, double next) {
        return new SeriesExample(window.inputs().clone(), target(window, next));
    }

    /** The clipped target of a pair {@link #refusal} accepts. */
    float target(NormalisedWindow window, double next) {
        return clip(window.target(next));
    }

    /**
     * The LSTM's example of a pair {@link #refusal} accepts beside a linear part that predicts a
     * change of {@code linearPrediction}: what the linear part leaves of the change, clipped.
     */
    SeriesExample residualExample(NormalisedWindow window, double next, double linearPrediction) {
        return new SeriesExample(
                window.inputs().clone(), clip(window.target(next) - linearPrediction));
    }

    private float clip(double target) {
        return (float) Math.max(-targetClip, Math.min(targetClip, target));
    }
}
