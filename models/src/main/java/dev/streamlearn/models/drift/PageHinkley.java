package dev.streamlearn.models.drift;

/**
 * The Page-Hinkley test for a rise of the mean (Page 1954), as River's {@code drift.PageHinkley}
 * (mode "up") and MOA's {@code PageHinkleyDM} compute it: with {@code x̄} the running mean of all
 * values so far, the cumulative sum {@code S = α·S + (x − x̄ − δ)} and its minimum {@code m}; a
 * change when {@code S − m > λ} after at least {@code minInstances} values, then the test starts
 * afresh. The change is estimated to have begun where {@code S} last touched its minimum.
 */
public final class PageHinkley implements DriftDetector {
    private static final double TAG = 1;

    /**
     * River's defaults: 30, 0.005, 50, 1 − 0.0001.
     *
     * @param minInstances values before a change can be signalled
     * @param delta the rise tolerated without counting ({@code δ})
     * @param threshold {@code λ}
     * @param alpha forgetting factor of the cumulative sum
     */
    public record Options(int minInstances, double delta, double threshold, double alpha) {
        public Options {
            if (minInstances < 1) {
                throw new IllegalArgumentException(
                        "minInstances must be >= 1, was " + minInstances);
            }
            if (!(delta >= 0) || !Double.isFinite(delta)) {
                throw new IllegalArgumentException("delta must be >= 0, was " + delta);
            }
            if (!(threshold > 0) || !Double.isFinite(threshold)) {
                throw new IllegalArgumentException("threshold must be > 0, was " + threshold);
            }
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
            }
        }

        public static Options river() {
            return new Options(30, 0.005, 50, 1 - 0.0001);
        }
    }

    private final Options options;
    private long count;
    private long n;
    private double mean;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private long minAt;
    private double statistic = Double.NaN;
    private long sinceChange;

    public PageHinkley(Options options) {
        this.options = options;
    }

    @Override
    public boolean add(double value) {
        count++;
        n++;
        mean += (value - mean) / n;
        sum = options.alpha() * sum + (value - mean - options.delta());
        if (sum < min) {
            min = sum;
            minAt = n;
        }
        if (n >= options.minInstances() && sum - min > options.threshold()) {
            statistic = sum - min;
            sinceChange = n - minAt;
            n = 0;
            mean = 0;
            sum = 0;
            min = Double.POSITIVE_INFINITY;
            minAt = 0;
            return true;
        }
        return false;
    }

    /** The current cumulative deviation above its minimum. */
    public double current() {
        return n == 0 ? 0 : sum - min;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public double statistic() {
        return statistic;
    }

    @Override
    public long sinceChange() {
        return sinceChange;
    }

    @Override
    public double[] state() {
        return new double[] {TAG, count, n, mean, sum, min, minAt, statistic, sinceChange};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 9 || state[0] != TAG) {
            throw new IllegalArgumentException(
                    "not a Page-Hinkley state: " + state.length + " values");
        }
        count = (long) state[1];
        n = (long) state[2];
        mean = state[3];
        sum = state[4];
        min = state[5];
        minAt = (long) state[6];
        statistic = state[7];
        sinceChange = (long) state[8];
    }
}
