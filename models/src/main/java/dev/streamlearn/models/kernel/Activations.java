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

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + exp(-x)));
    }

    static float tanh(float x) {
        // tanh(x) = 1 - 2 / (e^{2x} + 1): exact identity; saturates cleanly for large |x|.
        return (float) (1.0 - 2.0 / (exp(2.0 * x) + 1.0));
    }
}
