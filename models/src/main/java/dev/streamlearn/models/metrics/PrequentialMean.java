package dev.streamlearn.models.metrics;

/**
 * A loss averaged two ways over a prequential (test-then-train) stream (Dawid 1984): over all time,
 * and with a fading factor α, {@code S = L + α·S, N = 1 + α·N, mean = S/N}, which Gama, Sebastião
 * &amp; Rodrigues (2013, "On evaluating stream learning algorithms") show tracks the current
 * performance of a learner without a sliding-window buffer. Its running sums can be saved and
 * restored ({@link #saveAll}), so a checkpointed learner's metrics continue exactly after a
 * restore.
 */
public final class PrequentialMean {
    /** Values per mean in {@link #saveAll}. */
    public static final int STATE_SIZE = 4;

    private final double alpha;
    private double sum;
    private long count;
    private double fadingSum;
    private double fadingCount;

    public PrequentialMean(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("fading factor must be in (0, 1), got " + alpha);
        }
        this.alpha = alpha;
    }

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

    /**
     * The running sums of several means side by side, {@link #STATE_SIZE} values each, in order.
     */
    public static double[] saveAll(PrequentialMean... means) {
        double[] state = new double[means.length * STATE_SIZE];
        for (int i = 0; i < means.length; i++) {
            int at = i * STATE_SIZE;
            state[at] = means[i].sum;
            state[at + 1] = means[i].count;
            state[at + 2] = means[i].fadingSum;
            state[at + 3] = means[i].fadingCount;
        }
        return state;
    }

    /**
     * Restores means saved together by {@link #saveAll}, in the same order.
     *
     * @throws IllegalArgumentException if {@code state} does not hold that many means
     */
    public static void restoreAll(double[] state, PrequentialMean... means) {
        if (state.length != means.length * STATE_SIZE) {
            throw new IllegalArgumentException(
                    "saved state holds "
                            + state.length
                            + " values, expected "
                            + means.length * STATE_SIZE
                            + " for "
                            + means.length
                            + " means");
        }
        for (int i = 0; i < means.length; i++) {
            int at = i * STATE_SIZE;
            means[i].sum = state[at];
            means[i].count = (long) state[at + 1];
            means[i].fadingSum = state[at + 2];
            means[i].fadingCount = state[at + 3];
        }
    }
}
