package dev.streamlearn.models.drift;

/**
 * Watches a stream of values (a model's per-event loss) for a rise of their mean. Deterministic:
 * the same values give the same detections, and {@link #restore} of a {@link #state} continues
 * exactly.
 */
public sealed interface DriftDetector permits Adwin, PageHinkley {
    /**
     * Adds the next value; true when it completes a detected rise of the mean (a fall is not a
     * drift to act on: a learning model's loss falls).
     */
    boolean add(double value);

    /** Values added since the detector started or was restored to a fresh state. */
    long count();

    /**
     * The evidence of the last detection: Page-Hinkley's cumulative deviation above its minimum;
     * ADWIN's rise of the recent window's mean over the older one's. NaN before any.
     */
    double statistic();

    /** The values since the change began, as the detector estimated at its last detection. */
    long sinceChange();

    /** Everything needed to continue exactly, for {@link #restore}. */
    double[] state();

    /**
     * Continues from {@code state} (taken from a detector of the same options).
     *
     * @throws IllegalArgumentException if the state is not one of this kind of detector
     */
    void restore(double[] state);
}
