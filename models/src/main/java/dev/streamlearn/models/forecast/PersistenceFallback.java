package dev.streamlearn.models.forecast;

/**
 * Decides, for one series, whether its points are scored with the model's forecast or with
 * persistence's (the previous value): persistence once the model's recent mean absolute error is
 * clearly above persistence's on the same points (issue 17, item 4). Recent means exponentially
 * fading means of both absolute errors, a running mean for the first points (so the start does not
 * depend on an arbitrary initial value), then with a half-life of {@link #HALF_LIFE} points.
 * Decide, then {@link #update} with the point's errors: the choice for a point is made from the
 * points before it, as its forecast is.
 *
 * <p>Why these constants (measured on the dev sets, BENCHMARKS.md "Scoring falls back to
 * persistence"): a half-life of 20 points (about 29 points of effective memory) follows the
 * sensors' heating runs and calm stretches, which last tens of points, while one large error cannot
 * flip the choice; "clearly" is a margin of 10 %, below which the two differ by less than the
 * sampling noise of 30 quantised errors, and switching would follow that noise; and no choice is
 * made before {@link #MIN_POINTS} errors, so a fresh series is scored by the model as before.
 */
public final class PersistenceFallback {
    /** Points after which an old error weighs half in the recent means. */
    public static final int HALF_LIFE = 20;

    /** Persistence is used when the model's recent MAE exceeds its by more than this fraction. */
    public static final double MARGIN = 0.10;

    /** Errors seen before the model can be set aside. */
    public static final int MIN_POINTS = 20;

    private static final double LAMBDA = 1 - Math.pow(0.5, 1.0 / HALF_LIFE);

    private double modelMae;
    private double persistenceMae;
    private long count;

    /**
     * What a series' fallback keeps between points.
     *
     * @param modelMae the model's recent mean absolute error
     * @param persistenceMae persistence's, on the same points
     * @param count how many points' errors entered them
     */
    public record State(double modelMae, double persistenceMae, long count) {
        /** A series with no errors seen yet. */
        public static final State FRESH = new State(0, 0, 0);
    }

    public PersistenceFallback() {}

    /**
     * Continues from {@code state}.
     *
     * @throws IllegalArgumentException if a mean is negative or not finite, or the count negative
     */
    public static PersistenceFallback restore(State state) {
        if (!(state.modelMae() >= 0)
                || !(state.persistenceMae() >= 0)
                || Double.isInfinite(state.modelMae())
                || Double.isInfinite(state.persistenceMae())
                || state.count() < 0) {
            throw new IllegalArgumentException(
                    "fallback state "
                            + state
                            + ": expected finite mean absolute errors >= 0 and a count >= 0");
        }
        PersistenceFallback fallback = new PersistenceFallback();
        fallback.modelMae = state.modelMae();
        fallback.persistenceMae = state.persistenceMae();
        fallback.count = state.count();
        return fallback;
    }

    /** Whether the next point is scored with persistence's forecast. */
    public boolean usesPersistence() {
        return count >= MIN_POINTS && modelMae > (1 + MARGIN) * persistenceMae;
    }

    /**
     * Takes in one point's absolute errors: of the model's forecast and of persistence's.
     *
     * @throws IllegalArgumentException if one is negative or not finite
     */
    public void update(double modelAbsError, double persistenceAbsError) {
        if (!(modelAbsError >= 0)
                || !(persistenceAbsError >= 0)
                || Double.isInfinite(modelAbsError)
                || Double.isInfinite(persistenceAbsError)) {
            throw new IllegalArgumentException(
                    "absolute errors "
                            + modelAbsError
                            + " (model) and "
                            + persistenceAbsError
                            + " (persistence): expected finite numbers >= 0");
        }
        count++;
        double rate = Math.max(1.0 / count, LAMBDA);
        modelMae += rate * (modelAbsError - modelMae);
        persistenceMae += rate * (persistenceAbsError - persistenceMae);
    }

    public double modelMae() {
        return modelMae;
    }

    public double persistenceMae() {
        return persistenceMae;
    }

    public State state() {
        return new State(modelMae, persistenceMae, count);
    }
}
