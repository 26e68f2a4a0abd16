package dev.streamlearn.models.gate;

/**
 * How the promotion gate decides (README, "Serving policies"; docs/ARCHITECTURE.md, "The promotion
 * gate").
 *
 * @param minEvents labelled events two versions are compared on before the first look
 * @param maxEvents events after which a candidate not shown within the margin is rejected; looks
 *     are taken at {@code minEvents} times 1, 2, 4, ... up to it
 * @param margin how much worse than the version it is compared with a candidate may be, as a
 *     fraction of that version's mean loss on the same events (0.05: up to 5% higher loss)
 * @param confidence the confidence of each decision over all its looks (each look uses the
 *     Bonferroni share of {@code 1 - confidence})
 * @param baselineMargin the least the margin is, as a fraction of the family's naive baseline's
 *     mean loss on the same events (majority class, persistence), when that is known: a version
 *     that is nearly always right has so small a loss that {@code margin} of it is a difference no
 *     few hundred events can show, so "not worse" is then judged on the scale of what the model
 *     gains over knowing nothing; 0 turns it off
 */
public record GateOptions(
        int minEvents, int maxEvents, double margin, double confidence, double baselineMargin) {
    public static final int DEFAULT_MIN_EVENTS = 50;
    public static final int DEFAULT_MAX_EVENTS = 1_600;
    public static final double DEFAULT_MARGIN = 0.05;
    public static final double DEFAULT_CONFIDENCE = 0.99;
    public static final double DEFAULT_BASELINE_MARGIN = 0.02;

    public GateOptions {
        require(minEvents >= 2, "minEvents must be >= 2, was " + minEvents);
        require(
                maxEvents >= minEvents,
                "maxEvents must be >= minEvents (" + minEvents + "), was " + maxEvents);
        require(margin >= 0 && Double.isFinite(margin), "margin must be >= 0, was " + margin);
        require(
                confidence > 0.5 && confidence < 1,
                "confidence must be in (0.5, 1), was " + confidence);
        require(
                baselineMargin >= 0 && baselineMargin < 1,
                "baselineMargin must be in [0, 1), was " + baselineMargin);
    }

    /** Options with the default {@code baselineMargin}. */
    public GateOptions(int minEvents, int maxEvents, double margin, double confidence) {
        this(minEvents, maxEvents, margin, confidence, DEFAULT_BASELINE_MARGIN);
    }

    public static GateOptions defaults() {
        return new GateOptions(
                DEFAULT_MIN_EVENTS,
                DEFAULT_MAX_EVENTS,
                DEFAULT_MARGIN,
                DEFAULT_CONFIDENCE,
                DEFAULT_BASELINE_MARGIN);
    }

    /** The same looks and confidence, compared with no margin at all (against a baseline). */
    GateOptions strict() {
        return new GateOptions(minEvents, maxEvents, 0, confidence, 0);
    }

    /** How many looks a comparison takes at most: minEvents, 2 minEvents, ... up to maxEvents. */
    public int looks() {
        int looks = 1;
        for (long n = minEvents; n * 2 <= maxEvents; n *= 2) {
            looks++;
        }
        return maxEvents > ((long) minEvents << (looks - 1)) ? looks + 1 : looks;
    }

    /** Whether a comparison that has seen {@code events} takes a look now. */
    public boolean isLook(long events) {
        if (events == maxEvents) {
            return true;
        }
        if (events < minEvents || events % minEvents != 0) {
            return false;
        }
        long ratio = events / minEvents;
        return (ratio & (ratio - 1)) == 0;
    }

    /** The one-sided normal quantile each look's bound uses. */
    public double z() {
        return Normal.quantile(1 - (1 - confidence) / looks());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
