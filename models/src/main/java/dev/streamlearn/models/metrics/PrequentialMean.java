package dev.streamlearn.models.metrics;

/**
 * A loss averaged two ways over a prequential (test-then-train) stream (Dawid 1984): over all time,
 * and with a fading factor α, {@code S = L + α·S, N = 1 + α·N, mean = S/N}, which Gama, Sebastião
 * &amp; Rodrigues (2013, "On evaluating stream learning algorithms") show tracks the current
 * performance of a learner without a sliding-window buffer.
 */
public final class PrequentialMean {
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
}
