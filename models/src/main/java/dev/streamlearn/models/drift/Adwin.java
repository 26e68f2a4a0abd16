package dev.streamlearn.models.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà 2007), in its ADWIN2 form as River's {@code
 * drift.ADWIN} and MOA's {@code ADWIN} keep it: the window is an exponential histogram (rows of at
 * most {@code maxBuckets} buckets of 2^i values, each with its sum and variance); every {@code
 * clock} values, once the window is longer than {@code gracePeriod}, every split of it into an
 * older part W0 and a recent part W1 (each at least {@code minWindowLength} long) is tested, and
 * while the means differ by more than
 *
 * <pre>ε = √(2·m·σ²·δ') + (2/3)·δ'·m,  m = 1/(n0 − L + 1) + 1/(n1 − L + 1),  δ' = ln(2·ln(n)/δ)
 * </pre>
 *
 * (σ² the window's variance, n its length, L the minimum length) the oldest bucket is dropped. The
 * bound holds for values in [0, 1]. A cut is a change; this detector reports it when the recent
 * mean is the higher one, and estimates the change to have begun where the shrunk window starts.
 */
public final class Adwin implements DriftDetector {
    private static final double TAG = 2;

    /**
     * River's defaults: 0.002, 32, 5, 5, 10.
     *
     * @param delta significance of each test
     * @param clock values between tests
     * @param maxBuckets buckets kept per row before the two oldest merge
     * @param minWindowLength shortest sub-window tested
     * @param gracePeriod window length before the first test
     */
    public record Options(
            double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
        public Options {
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
            }
            if (clock < 1 || maxBuckets < 2 || minWindowLength < 1 || gracePeriod < 0) {
                throw new IllegalArgumentException(
                        "need clock >= 1, maxBuckets >= 2, minWindowLength >= 1 and"
                                + " gracePeriod >= 0, was "
                                + this);
            }
        }

        public static Options river() {
            return new Options(0.002, 32, 5, 5, 10);
        }

        public Options withDelta(double newDelta) {
            return new Options(newDelta, clock, maxBuckets, minWindowLength, gracePeriod);
        }
    }

    /** Buckets of 2^i values, oldest first. */
    private static final class Row {
        final double[] sums;
        final double[] variances;
        int size;

        Row(int capacity) {
            sums = new double[capacity];
            variances = new double[capacity];
        }

        void push(double sum, double variance) {
            sums[size] = sum;
            variances[size] = variance;
            size++;
        }

        void dropOldest(int k) {
            System.arraycopy(sums, k, sums, 0, size - k);
            System.arraycopy(variances, k, variances, 0, size - k);
            size -= k;
        }
    }

    private final Options options;
    private final List<Row> rows = new ArrayList<>();
    private long count;
    private long width;
    private double total;
    private double variance;
    private long ticks;
    private double statistic = Double.NaN;
    private long sinceChange;

    public Adwin(Options options) {
        this.options = options;
    }

    @Override
    public boolean add(double value) {
        count++;
        width++;
        row(0).push(value, 0);
        if (width > 1) {
            double d = value - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += value;
        compress();
        ticks++;
        return ticks % options.clock() == 0 && width > options.gracePeriod() && detectRise();
    }

    private Row row(int i) {
        while (rows.size() <= i) {
            rows.add(new Row(options.maxBuckets() + 1));
        }
        return rows.get(i);
    }

    private void compress() {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.size <= options.maxBuckets()) {
                return;
            }
            double n = Math.pow(2, i);
            double d = row.sums[0] / n - row.sums[1] / n;
            double merged = row.variances[0] + row.variances[1] + n * n * d * d / (2 * n);
            double sum = row.sums[0] + row.sums[1];
            row.dropOldest(2);
            row(i + 1).push(sum, merged);
        }
    }

    /**
     * Shrinks the window while some split's means differ beyond ε; true when it shrank and the
     * first such split had the higher mean in its recent part.
     */
    private boolean detectRise() {
        boolean cut = false;
        boolean rise = false;
        double rose = Double.NaN;
        boolean again = true;
        while (again) {
            again = false;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            search:
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                double size = Math.pow(2, i);
                for (int k = 0; k < row.size; k++) {
                    n0 += size;
                    n1 -= size;
                    u0 += row.sums[k];
                    u1 -= row.sums[k];
                    if (i == 0 && k == row.size - 1) {
                        break search;
                    }
                    if (n0 >= options.minWindowLength()
                            && n1 >= options.minWindowLength()
                            && differ(n0, n1, u0, u1)) {
                        if (!cut) {
                            rose = u1 / n1 - u0 / n0;
                            rise = rose > 0;
                        }
                        cut = true;
                        again = true;
                        dropOldest();
                        break search;
                    }
                }
            }
        }
        if (rise) {
            statistic = rose;
            sinceChange = width;
        }
        return rise;
    }

    private boolean differ(double n0, double n1, double u0, double u1) {
        double difference = Math.abs(u0 / n0 - u1 / n1);
        double v = Math.max(0, variance) / width;
        int l = options.minWindowLength();
        double m = 1 / (n0 - l + 1) + 1 / (n1 - l + 1);
        double dd = Math.log(2 * Math.log(width) / options.delta());
        double epsilon = Math.sqrt(2 * m * v * dd) + 2.0 / 3 * dd * m;
        return difference > epsilon;
    }

    private void dropOldest() {
        int i = rows.size() - 1;
        Row row = rows.get(i);
        double n = Math.pow(2, i);
        double sum = row.sums[0];
        double bucketVariance = row.variances[0];
        width -= (long) n;
        total -= sum;
        if (width > 0) {
            double d = sum / n - total / width;
            variance -= bucketVariance + n * width * d * d / (n + width);
        } else {
            variance = 0;
        }
        row.dropOldest(1);
        if (row.size == 0) {
            rows.remove(i);
        }
    }

    /** Values in the window now. */
    public long width() {
        return width;
    }

    /** The window's mean now. */
    public double mean() {
        return width == 0 ? 0 : total / width;
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

    /** Tag, counters, then per row its size and its buckets' sums and variances. */
    @Override
    public double[] state() {
        double[] header = {
            TAG, count, width, total, variance, ticks, statistic, sinceChange, rows.size()
        };
        int length = header.length;
        for (Row row : rows) {
            length += 1 + 2 * row.size;
        }
        double[] state = Arrays.copyOf(header, length);
        int at = header.length;
        for (Row row : rows) {
            state[at++] = row.size;
            for (int k = 0; k < row.size; k++) {
                state[at++] = row.sums[k];
                state[at++] = row.variances[k];
            }
        }
        return state;
    }

    @Override
    public void restore(double[] state) {
        if (state.length < 9 || state[0] != TAG) {
            throw new IllegalArgumentException("not an ADWIN state: " + state.length + " values");
        }
        count = (long) state[1];
        width = (long) state[2];
        total = state[3];
        variance = state[4];
        ticks = (long) state[5];
        statistic = state[6];
        sinceChange = (long) state[7];
        int rowCount = (int) state[8];
        rows.clear();
        int at = 9;
        for (int i = 0; i < rowCount; i++) {
            Row row = row(i);
            int size = (int) state[at++];
            if (size > options.maxBuckets() + 1) {
                throw new IllegalArgumentException(
                        "ADWIN state has " + size + " buckets in row " + i + " for " + options);
            }
            for (int k = 0; k < size; k++) {
                row.push(state[at], state[at + 1]);
                at += 2;
            }
        }
        if (at != state.length) {
            throw new IllegalArgumentException("ADWIN state of " + state.length + " values");
        }
    }
}
