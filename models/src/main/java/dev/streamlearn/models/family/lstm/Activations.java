package dev.streamlearn.models.family.lstm;

/**
 * The activation functions of the kernels, as arithmetic the JIT can vectorise: no branches, no
 * table lookups, no {@code Math.exp} (10-25 ns each here, and never vectorised on Java 17). An LSTM
 * window needs 5 activations per unit per step (5,120 for the default spec); an interpolated table
 * of 256 KiB missed the cache and cost ~7 ns each, this costs ~1 ns in a vectorised loop.
 *
 * <p>tanh is a rational function on [-7.9053, 7.9053] and saturates beyond (the odd degree-13 /
 * even degree-6 minimax fit that Eigen and TensorFlow use for float tanh); its absolute error is at
 * most 3.1e-7, about 3 float ulps near ±1, measured on a 1e-6 grid over [-20, 20]. The logistic
 * function is derived from it: sigmoid(x) = tanh(x/2)/2 + 1/2 (error at most 1.9e-7).
 *
 * <p>Public so that the trainer's plain-Java learner computes the very activations it is scored
 * with.
 */
public final class Activations {
    private Activations() {}

    private static final float CLAMP = 7.90531110763549805f;

    /** tanh(x) within 3.1e-7, never beyond ±1; constant (1 - 2.4e-7, mirrored) beyond the clamp. */
    public static float tanh(float x) {
        float v = Math.max(-CLAMP, Math.min(CLAMP, x));
        float v2 = v * v;
        // The numerator p(v²) = p0 + p1·v² + … + p6·v¹² and denominator q(v²) = q0 + … + q3·v⁶ by
        // Estrin's scheme with fused multiply-adds: independent pairs instead of one long chain of
        // Horner steps, which left the vectorised loops waiting on latency (the 4,096 gate
        // activations of an LSTM window took ~7 µs with Horner's chain, ~5 µs with this).
        float v4 = v2 * v2;
        float v8 = v4 * v4;
        float p01 = Math.fma(6.37261928875436e-04f, v2, 4.89352455891786e-03f);
        float p23 = Math.fma(5.12229709037114e-08f, v2, 1.48572235717979e-05f);
        float p45 = Math.fma(2.00018790482477e-13f, v2, -8.60467152213735e-11f);
        float p6 = -2.76076847742355e-16f;
        float p = Math.fma(Math.fma(p6, v4, p45), v8, Math.fma(p23, v4, p01));
        float q01 = Math.fma(2.26843463243900e-03f, v2, 4.89352518554385e-03f);
        float q23 = Math.fma(1.19825839466702e-06f, v2, 1.18534705686654e-04f);
        float q = Math.fma(q23, v4, q01);
        return v * p / q;
    }

    /** The logistic function 1 / (1 + e^-x), within 1.9e-7. */
    public static float sigmoid(float x) {
        return 0.5f * tanh(0.5f * x) + 0.5f;
    }
}
