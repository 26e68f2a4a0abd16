package dev.streamlearn.models.kernel;

/**
 * The activation functions of the kernels. {@code Math.exp} costs 10-25 ns and {@code Math.tanh}
 * more (no intrinsic on Java 17); an LSTM window needs 5 of them per unit per step (5,120 for the
 * default spec), so they dominated the forward pass. So the sigmoid is a linearly interpolated
 * table (absolute error ~1e-8 including float rounding, well under float32 resolution, so parity
 * with DL4J is unaffected) and tanh derives from it.
 */
final class Activations {
    private Activations() {}

    // The logistic function tabulated on [-RANGE, RANGE] in steps of 1/STEPS_PER_UNIT and
    // interpolated linearly: error <= h^2/8 * max|sigmoid''| ~ 3e-9, below float resolution, at a
    // fraction of the cost of an exponential (measured ~25 ns each on the shared 2-core box).
    private static final float RANGE = 16f;
    private static final int STEPS_PER_UNIT = 2048;
    private static final float[] SIGMOID = new float[(int) (2 * RANGE * STEPS_PER_UNIT) + 2];

    static {
        for (int i = 0; i < SIGMOID.length; i++) {
            SIGMOID[i] = (float) (1.0 / (1.0 + Math.exp(-((double) i / STEPS_PER_UNIT - RANGE))));
        }
    }

    /** The logistic function; beyond |x| = 16 it is within 1.2e-7 of 0 or 1 and saturates. */
    static float sigmoid(float x) {
        if (x <= -RANGE) {
            return 0f;
        }
        if (x >= RANGE) {
            return 1f;
        }
        // In double: in float, x + 16 loses bits of x that move the result by up to 2e-7.
        double position = ((double) x + RANGE) * STEPS_PER_UNIT;
        int i = (int) position;
        double fraction = position - i;
        double low = SIGMOID[i];
        return (float) (low + fraction * (SIGMOID[i + 1] - low));
    }

    /** tanh(x) = 2 sigmoid(2x) - 1; beyond |x| = 8 it is within 2.3e-7 of ±1 and saturates. */
    static float tanh(float x) {
        return 2f * sigmoid(2f * x) - 1f;
    }
}
