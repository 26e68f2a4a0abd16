package dev.streamlearn.models.kernel;

/**
 * The activation functions of the kernels, as arithmetic the JIT can vectorise: no branches, no
 * table lookups, no {@code Math.exp} (10-25 ns each here, and never vectorised on Java 17). An LSTM
 * window needs 5 activations per unit per step (5,120 for the default spec); an interpolated table
 * of 256 KiB missed the cache and cost ~7 ns each, this costs ~1 ns in a vectorised loop.
 *
 * <p>tanh is a rational function on [-7.9053, 7.9053] and saturates beyond (the odd degree-13 /
 * even degree-6 minimax fit that Eigen and TensorFlow use for float tanh); its absolute error is at
 * most 4.1e-7, about 3 float ulps near ±1, measured on a 1e-6 grid over [-20, 20]. The logistic
 * function is derived from it: sigmoid(x) = tanh(x/2)/2 + 1/2.
 */
final class Activations {
    private Activations() {}

    private static final float CLAMP = 7.90531110763549805f;

    /** tanh(x) within 4.1e-7, exactly ±1 beyond the clamp. */
    static float tanh(float x) {
        float v = Math.max(-CLAMP, Math.min(CLAMP, x));
        float v2 = v * v;
        float p = -2.76076847742355e-16f;
        p = p * v2 + 2.00018790482477e-13f;
        p = p * v2 - 8.60467152213735e-11f;
        p = p * v2 + 5.12229709037114e-08f;
        p = p * v2 + 1.48572235717979e-05f;
        p = p * v2 + 6.37261928875436e-04f;
        p = p * v2 + 4.89352455891786e-03f;
        float q = 1.19825839466702e-06f;
        q = q * v2 + 1.18534705686654e-04f;
        q = q * v2 + 2.26843463243900e-03f;
        q = q * v2 + 4.89352518554385e-03f;
        return v * p / q;
    }

    /** The logistic function 1 / (1 + e^-x), within 2.3e-7. */
    static float sigmoid(float x) {
        return 0.5f * tanh(0.5f * x) + 0.5f;
    }
}
