package dev.streamlearn.models.kernel;

/**
 * The activation functions of the kernels. {@code Math.exp} costs 10-25 ns and {@code Math.tanh}
 * more (no intrinsic on Java 17); an LSTM window needs 5 of them per unit per step (5,120 for the
 * default spec), so they dominated the forward pass. {@link #exp} reduces the argument to {@code
 * 2^k · e^y} with {@code |y| ≤ ln2/2} and evaluates a degree-7 Taylor polynomial in double:
 * relative error below 1e-8, far under float32 resolution (6e-8), so parity with DL4J is
 * unaffected.
 */
final class Activations {
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    private Activations() {}

    static double exp(double x) {
        if (x < -700) {
            return 0;
        }
        if (x > 700) {
            return Double.POSITIVE_INFINITY;
        }
        double t = x * LOG2E;
        long k = (long) (t + (t >= 0 ? 0.5 : -0.5));
        double y = (t - k) * LN2;
        double p =
                1
                        + y
                                * (1
                                        + y
                                                * (1.0 / 2
                                                        + y
                                                                * (1.0 / 6
                                                                        + y
                                                                                * (1.0 / 24
                                                                                        + y
                                                                                                * (1.0
                                                                                                                / 120
                                                                                                        + y
                                                                                                                * (1.0
                                                                                                                                / 720
                                                                                                                        + y
                                                                                                                                / 5040))))));
        return p * Double.longBitsToDouble((k + 1023) << 52);
    }

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
