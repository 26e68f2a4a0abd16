package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;

/**
 * One dense parameter vector with its Adam moments and step count, stepped exactly as DL4J steps it
 * ({@link Dl4jAdam}), for the plain-Java learners whose parameters all get a gradient from every
 * mini-batch. The vector is the learner's own: its kernels read it in place, so a step needs no
 * export. A learner's snapshot of it is the parameters, and as {@code updaterState} all of m, then
 * all of v (each in layout order), then whatever the learner keeps besides; the step count is the
 * {@code iterationCount}. The static methods give that form to a learner that keeps its moments
 * itself (the text classifier, whose embedding rows Adam updates lazily). Not thread-safe.
 */
public final class DenseAdam {
    private final float[] params;
    private final float[] m;
    private final float[] v;
    private int step;

    /** Adam from its start (moments 0, step 0) over {@code params}, which it moves in place. */
    public DenseAdam(float[] params) {
        this.params = params;
        this.m = new float[params.length];
        this.v = new float[params.length];
    }

    /** The Adam step count (DL4J's iteration count). */
    public int steps() {
        return step;
    }

    /** One step of the entries before {@code end}, all at {@code learningRate}. */
    public void step(float[] gradients, int end, double learningRate) {
        float alpha = Dl4jAdam.stepSize(learningRate, step);
        for (int i = 0; i < end; i++) {
            Dl4jAdam.update(params, m, v, i, gradients[i], alpha);
        }
        step++;
    }

    /**
     * One step of every entry: those before {@code tail} at {@code learningRate}, those from {@code
     * tail} on (an output layer, whose rate a learner may scale on its own) at {@code
     * tailLearningRate}.
     */
    public void step(float[] gradients, double learningRate, int tail, double tailLearningRate) {
        float alpha = Dl4jAdam.stepSize(learningRate, step);
        float tailAlpha = Dl4jAdam.stepSize(tailLearningRate, step);
        for (int i = 0; i < tail; i++) {
            Dl4jAdam.update(params, m, v, i, gradients[i], alpha);
        }
        for (int i = tail; i < params.length; i++) {
            Dl4jAdam.update(params, m, v, i, gradients[i], tailAlpha);
        }
        step++;
    }

    /**
     * A snapshot of a learner of {@code spec} that learns with this Adam: its parameters, its
     * moments followed by {@code extraState}, its step count, and the pending examples of {@code
     * batches}.
     */
    public LearnerSnapshot snapshot(
            ModelSpec spec, MiniBatches<? extends Serializable> batches, float[] extraState) {
        float[] state = updaterState(m, v, extraState.length);
        System.arraycopy(extraState, 0, state, 2 * params.length, extraState.length);
        return snapshot(spec, params, state, step, batches);
    }

    /**
     * A snapshot of a plain-Java Adam learner of {@code spec}: a copy of {@code params}, {@code
     * updaterState} (not copied), the step count and the pending examples of {@code batches}.
     */
    public static LearnerSnapshot snapshot(
            ModelSpec spec,
            float[] params,
            float[] updaterState,
            int steps,
            MiniBatches<? extends Serializable> batches) {
        return new LearnerSnapshot(
                spec.kind().id(),
                spec.toMap(),
                params.clone(),
                updaterState,
                steps,
                0,
                batches.snapshot(),
                batches.examplesSeen());
    }

    /**
     * Continues from a snapshot taken by {@link #snapshot}: its moments and step count (its
     * parameters are the ones this Adam was made over).
     */
    public void restore(LearnerSnapshot snapshot) {
        float[] state = snapshot.updaterState();
        System.arraycopy(state, 0, m, 0, params.length);
        System.arraycopy(state, params.length, v, 0, params.length);
        step = snapshot.iterationCount();
    }

    /**
     * Sets the parameters to {@code weights}, which must be of {@code spec} (the learner's); the
     * moments and step count stay.
     */
    public void startFrom(ModelSpec spec, ModelWeights weights) {
        if (!weights.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "weights for " + weights.spec() + " cannot start a learner of " + spec);
        }
        System.arraycopy(weights.params(), 0, params, 0, params.length);
    }

    /** m and v one after the other, with {@code extra} zeros after them. */
    public static float[] updaterState(float[] m, float[] v, int extra) {
        float[] state = new float[m.length + v.length + extra];
        System.arraycopy(m, 0, state, 0, m.length);
        System.arraycopy(v, 0, state, m.length, v.length);
        return state;
    }

    /**
     * @throws IllegalArgumentException unless {@code snapshot} holds {@code size} parameters and 2
     *     × {@code size} + {@code extra} optimizer values, naming {@code learner} (e.g. the spec)
     */
    public static void requireFits(LearnerSnapshot snapshot, Object learner, int size, int extra) {
        int stateSize = 2 * size + extra;
        if (snapshot.params().length != size || snapshot.updaterState().length != stateSize) {
            throw new IllegalArgumentException(
                    "snapshot of "
                            + snapshot.params().length
                            + " parameters and "
                            + snapshot.updaterState().length
                            + " optimizer values does not fit "
                            + learner
                            + ": expected "
                            + size
                            + " and "
                            + stateSize);
        }
    }
}
