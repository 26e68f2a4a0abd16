package dev.streamlearn.trainer.training;

import dev.streamlearn.models.metrics.RegressionMetrics;

/**
 * A loss averaged over a prequential (test-then-train) stream, all-time and with a fading factor
 * (Dawid 1984; Gama, Sebastião &amp; Rodrigues 2013) — the arithmetic of {@code
 * models.metrics.PrequentialMean}, whose state cannot be read back; here it can, because the
 * trainer's metrics live in checkpointed state and must continue exactly after a restore.
 */
public final class PrequentialLoss {
    /** Values in {@link #state()}. */
    public static final int STATE_SIZE = 4;

    private final double alpha = RegressionMetrics.DEFAULT_FADING;
    private double sum;
    private long count;
    private double fadingSum;
    private double fadingCount;

    public void add(double loss) {
        sum += loss;
        count++;
        fadingSum = loss + alpha * fadingSum;
        fadingCount = 1 + alpha * fadingCount;
    }

    public long count() {
        return count;
    }

    /** Mean over all time; NaN before the first value. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Fading-factor mean; NaN before the first value. */
    public double fadingMean() {
        return count == 0 ? Double.NaN : fadingSum / fadingCount;
    }

    void writeTo(double[] state, int at) {
        state[at] = sum;
        state[at + 1] = count;
        state[at + 2] = fadingSum;
        state[at + 3] = fadingCount;
    }

    void readFrom(double[] state, int at) {
        sum = state[at];
        count = (long) state[at + 1];
        fadingSum = state[at + 2];
        fadingCount = state[at + 3];
    }

    /** The state of several losses side by side, {@link #STATE_SIZE} values each, in order. */
    public static double[] saveAll(PrequentialLoss... losses) {
        double[] state = new double[losses.length * STATE_SIZE];
        for (int i = 0; i < losses.length; i++) {
            losses[i].writeTo(state, i * STATE_SIZE);
        }
        return state;
    }

    /** Restores losses saved together by {@link #saveAll}, in the same order. */
    public static void restoreAll(double[] state, PrequentialLoss... losses) {
        for (int i = 0; i < losses.length; i++) {
            losses[i].readFrom(state, i * STATE_SIZE);
        }
    }
}
