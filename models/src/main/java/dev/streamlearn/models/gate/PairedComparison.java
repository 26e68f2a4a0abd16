package dev.streamlearn.models.gate;

/**
 * Two model versions scored on the same labelled events, one per-event loss each, and the paired
 * test the promotion gate decides by: is the mean of {@code lossOf(candidate) - lossOf(against)}
 * below the margin with the stated confidence, or above it? The margin is a fraction of {@code
 * against}'s mean loss, and at least a fraction of the family's baseline's mean loss on the same
 * events when that is given ({@link GateOptions#baselineMargin()}). A normal confidence bound on
 * the mean paired difference, looked at only at {@code minEvents} times 1, 2, 4, ... and at {@code
 * maxEvents}, each look at the Bonferroni share of the error, so that clear cases decide at the
 * first look and the confidence holds over all of them (a group sequential test; Jennison and
 * Turnbull, "Group Sequential Methods", 2000, ch. 1). Paired, because both versions see the same
 * events: their difference cancels how hard each event is, which is most of the variance of either
 * loss alone.
 *
 * <p>Mutable, not thread-safe; {@link #state()} and {@link #restore} carry it through a store.
 */
public final class PairedComparison {
    /** What a look concluded. */
    public enum Outcome {
        /** Not worse than {@code against} by more than the margin. */
        NOT_WORSE,
        /** Worse than {@code against} by more than the margin. */
        WORSE,
        /** {@code maxEvents} seen and neither shown. */
        UNDECIDED_AT_MAX,
        /** No look now, or a look that showed neither. */
        CONTINUE
    }

    /**
     * The evidence of a comparison so far.
     *
     * @param baselineLoss the baseline's mean loss on the events it was given for, NaN for none
     */
    public record Evidence(
            long events,
            double candidateLoss,
            double againstLoss,
            double meanDifference,
            double upperBound,
            double lowerBound,
            double allowed,
            double baselineLoss) {}

    /**
     * The comparison's counters, for a state store.
     *
     * @param baselineEvents how many of the events came with the baseline's loss
     */
    public record State(
            long n,
            double sumCandidate,
            double sumAgainst,
            double mean,
            double m2,
            long baselineEvents,
            double sumBaseline) {
        public static final State EMPTY = new State(0, 0, 0, 0, 0, 0, 0);
    }

    private final GateOptions options;
    private final double z;
    private long n;
    private double sumCandidate;
    private double sumAgainst;
    private double mean;
    private double m2;
    private long baselineEvents;
    private double sumBaseline;

    public PairedComparison(GateOptions options) {
        this.options = options;
        this.z = options.z();
    }

    public static PairedComparison restore(GateOptions options, State state) {
        PairedComparison c = new PairedComparison(options);
        c.n = state.n();
        c.sumCandidate = state.sumCandidate();
        c.sumAgainst = state.sumAgainst();
        c.mean = state.mean();
        c.m2 = state.m2();
        c.baselineEvents = state.baselineEvents();
        c.sumBaseline = state.sumBaseline();
        return c;
    }

    public State state() {
        return new State(n, sumCandidate, sumAgainst, mean, m2, baselineEvents, sumBaseline);
    }

    /**
     * Adds one event's pair of losses, without a baseline's, and looks if this is a look.
     *
     * @throws IllegalArgumentException if a loss is not finite
     */
    public Outcome add(double candidateLoss, double againstLoss) {
        return add(candidateLoss, againstLoss, Double.NaN);
    }

    /**
     * Adds one event's pair of losses and the baseline's loss on it (NaN when not known), and looks
     * if this is a look.
     *
     * @throws IllegalArgumentException if a version's loss is not finite
     */
    public Outcome add(double candidateLoss, double againstLoss, double baselineLoss) {
        if (!Double.isFinite(candidateLoss) || !Double.isFinite(againstLoss)) {
            throw new IllegalArgumentException(
                    "losses must be finite, were " + candidateLoss + " and " + againstLoss);
        }
        if (Double.isFinite(baselineLoss)) {
            baselineEvents++;
            sumBaseline += baselineLoss;
        }
        n++;
        sumCandidate += candidateLoss;
        sumAgainst += againstLoss;
        double d = candidateLoss - againstLoss;
        double delta = d - mean;
        mean += delta / n;
        m2 += delta * (d - mean);
        if (!options.isLook(n)) {
            return Outcome.CONTINUE;
        }
        Evidence e = evidence();
        if (e.upperBound() <= e.allowed()) {
            return Outcome.NOT_WORSE;
        }
        if (e.lowerBound() > e.allowed()) {
            return Outcome.WORSE;
        }
        return n >= options.maxEvents() ? Outcome.UNDECIDED_AT_MAX : Outcome.CONTINUE;
    }

    public long events() {
        return n;
    }

    /** The bounds at this look's z, and the difference the margin allows. */
    public Evidence evidence() {
        if (n == 0) {
            return new Evidence(
                    0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
        }
        double halfWidth = n < 2 ? Double.POSITIVE_INFINITY : z * Math.sqrt(m2 / (n - 1) / n);
        double againstLoss = sumAgainst / n;
        double baselineLoss = baselineEvents == 0 ? Double.NaN : sumBaseline / baselineEvents;
        double allowed = options.margin() * againstLoss;
        // The floor needs the baseline on the very events compared, or it measures other ones.
        if (baselineEvents == n) {
            allowed = Math.max(allowed, options.baselineMargin() * baselineLoss);
        }
        return new Evidence(
                n,
                sumCandidate / n,
                againstLoss,
                mean,
                mean + halfWidth,
                mean - halfWidth,
                allowed,
                baselineLoss);
    }
}
