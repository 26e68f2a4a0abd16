package dev.streamlearn.models.kernel;

/** The activation functions of the kernels, computed in double for parity with DL4J. */
final class Activations {
    private Activations() {}

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    // Math.tanh is not an intrinsic on Java 17 and costs several times Math.exp; this identity is
    // exact to double rounding, far below the float32 precision we need.
    static float tanh(float x) {
        if (x > 20f) {
            return 1f;
        }
        if (x < -20f) {
            return -1f;
        }
        double e = Math.exp(2.0 * x);
        return (float) ((e - 1.0) / (e + 1.0));
    }
}
