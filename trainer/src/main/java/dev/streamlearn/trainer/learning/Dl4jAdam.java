package dev.streamlearn.trainer.learning;

/**
 * Adam (Kingma &amp; Ba 2015) exactly as Deeplearning4j 1.0.0-M2.1's {@code AdamUpdater} applies
 * it, for the plain-Java learners that are held to DL4J's steps: β1 0.9, β2 0.999, ε 1e-8, and the
 * bias correction folded into the step size rather than into the moments.
 */
public final class Dl4jAdam {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;

    private Dl4jAdam() {}

    /**
     * The bias-corrected step size {@code lr·√(1−β2^(t+1)) / (1−β1^(t+1))} at iteration {@code t}
     * (counted from 0); ε where that is not finite or 0, as DL4J does.
     */
    public static float stepSize(double learningRate, int t) {
        float beta1t = (float) Math.pow(BETA1, t + 1);
        float beta2t = (float) Math.pow(BETA2, t + 1);
        float alpha = (float) (learningRate * Math.sqrt(1 - beta2t) / (1 - beta1t));
        return Float.isFinite(alpha) && alpha != 0 ? alpha : EPSILON;
    }

    /** One entry's step: its moments updated in place, then the parameter moved by them. */
    public static void update(float[] params, float[] m, float[] v, int i, float g, float alpha) {
        float mi = BETA1 * m[i] + (1 - BETA1) * g;
        float vi = BETA2 * v[i] + (1 - BETA2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= alpha * mi / ((float) Math.sqrt(vi) + EPSILON);
    }
}
