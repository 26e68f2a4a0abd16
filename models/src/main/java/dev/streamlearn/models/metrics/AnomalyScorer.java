package dev.streamlearn.models.metrics;

/**
 * Turns absolute forecast errors into anomaly scores: {@code |e| / scale}, where scale is an
 * exponentially weighted mean of past absolute errors with a long half-life, each clipped at {@code
 * clip × scale} before it enters (a winsorised EWMA, in the spirit of robust control charts). Why
 * slow and clipped: labelled anomalies come in runs; a fast scale (e.g. the standard deviation of
 * the last 100 errors) grows during the run and hides it, which measured here pushed the ROC AUC on
 * the sensor data below 0.5. The score is computed before the error updates the scale.
 */
public final class AnomalyScorer {
    // Errors before this many points are not clipped: the scale is still a rough guess.
    private static final int WARM_UP = 10;

    private final double lambda;
    private final double clip;
    private double scale;
    private long count;

    public AnomalyScorer(int halfLife, double clip) {
        if (halfLife < 1 || !(clip > 0)) {
            throw new IllegalArgumentException(
                    "anomaly half-life must be >= 1 and clip > 0, got " + halfLife + ", " + clip);
        }
        this.lambda = 1 - Math.pow(0.5, 1.0 / halfLife);
        this.clip = clip;
    }

    /**
     * Returns the score of {@code absError}, then updates the scale with it.
     *
     * @return 1 for the first error (no scale yet), else {@code absError / scale}
     */
    public double scoreAndUpdate(double absError) {
        if (!(absError >= 0) || Double.isInfinite(absError)) {
            throw new IllegalArgumentException(
                    "absolute error is " + absError + ", expected a finite number >= 0");
        }
        double score = count == 0 ? 1 : absError / Math.max(scale, Double.MIN_NORMAL);
        count++;
        double entering = count > WARM_UP ? Math.min(absError, clip * scale) : absError;
        // Running mean at first (so the start does not depend on an arbitrary initial scale),
        // then the slow exponential mean.
        double rate = Math.max(1.0 / count, lambda);
        scale += rate * (entering - scale);
        return score;
    }

    public double scale() {
        return scale;
    }

    /** How many errors have entered the scale. */
    public long count() {
        return count;
    }

    /** Continues from a scale and count saved with {@link #scale()} and {@link #count()}. */
    public void restore(double savedScale, long savedCount) {
        if (!(savedScale >= 0) || Double.isInfinite(savedScale) || savedCount < 0) {
            throw new IllegalArgumentException(
                    "anomaly scale "
                            + savedScale
                            + " and count "
                            + savedCount
                            + ": expected a finite scale >= 0 and a count >= 0");
        }
        this.scale = savedScale;
        this.count = savedCount;
    }
}
