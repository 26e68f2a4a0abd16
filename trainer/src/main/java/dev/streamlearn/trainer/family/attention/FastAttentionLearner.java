package dev.streamlearn.trainer.family.attention;

import static dev.streamlearn.trainer.learning.Dl4jAdam.BETA1;
import static dev.streamlearn.trainer.learning.Dl4jAdam.BETA2;
import static dev.streamlearn.trainer.learning.Dl4jAdam.EPSILON;

import dev.streamlearn.models.family.attention.AttentionLabelGrowth;
import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.attention.AttentionTextKernel;
import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.family.attention.TokenSelection;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.BatchedLearner;
import dev.streamlearn.trainer.learning.DenseAdam;
import dev.streamlearn.trainer.learning.Dl4jAdam;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.LearningRates;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Arrays;
import java.util.List;

/**
 * {@code attention-text-classifier} learned in plain Java: for each text of a mini-batch the
 * scoring kernel's own forward pass, then its backward pass ({@link AttentionTextKernel#backward})
 * from the cross-entropy's gradient (softmax over all slots, the loss averaged over the mini-batch,
 * as DL4J's {@code OutputLayer} with {@code MCXENT} has them), then Adam (Kingma &amp; Ba 2015) as
 * DL4J applies it ({@link Dl4jAdam}): {@code blockLearningRate} for the encoder block and the
 * positions, {@code learningRate} for the output layer, both updated every step; {@code
 * embeddingLearningRate} for the token embedding, whose Adam is lazy as the text classifier's fast
 * learner's is: a step reads and moves only the rows of its texts' tokens and their moments (with
 * the global step in the bias correction), so a step costs what its tokens cost rather than V×D.
 * Plain lazy Adam learns rare tokens more slowly than dense Adam, which keeps moving a row on its
 * momentum after its last gradient; so, exactly as the text classifier's fast learner does, each
 * updated row is also moved at once by all of that momentum drift in closed form ({@link #drift}),
 * and when the row is touched again k steps later the drift not yet due is taken back and its
 * moments are decayed by β1^(k−1) and β2^(k−1), where dense Adam's zero-gradient steps would leave
 * them (one iteration number per row, {@code lastStep}, kept in the snapshot).
 *
 * <p>The initial weights ({@link AttentionTextTraining#initialWeights}) make the untrained model
 * exactly the embedding bag: the block's two residual branches end in zero matrices.
 *
 * <p>A label never seen that finds every slot taken grows the model ({@link AttentionLabelGrowth})
 * with Adam's moments carried. A mini-batch whose loss or gradients are not finite is not applied
 * ({@link Offer.Status#REVERTED}). Not thread-safe.
 */
public final class FastAttentionLearner extends BatchedLearner<AttentionExample>
        implements AttentionLearner {
    /** DL4J's LossMCXENT clips probabilities this far from 0 before the log. */
    private static final double CLIP = 1e-10;

    /** β1/√β2: how a zero-gradient Adam step shrinks {@code m/√v}. */
    private static final double RATIO = BETA1 / Math.sqrt(BETA2);

    private static final int DRIFT_TERMS = 400;

    private ModelSpec spec;
    private float[] params;
    private float[] m;
    private float[] v;
    private final int vocab;
    private final int dim;
    private final int denseOffset;
    private int slots;
    private final double learningRate;
    private final double blockLearningRate;
    private final double embeddingLearningRate;
    private double headFactor = 1;
    private int headOffset;
    private int step;

    private AttentionTextKernel kernel;
    private AttentionTextKernel.Pass pass;
    private double[] dense;
    private double[] tokenGradients;
    private final int[] rowIndex;

    /** Per embedding row, the iteration that last updated it (0 for a row never updated). */
    private final int[] lastStep;

    private int[] touchedRows = new int[256];
    private double[] rowGradients;
    private int touched;
    private AttentionTextModel model;

    public FastAttentionLearner(ModelSpec spec) {
        this(spec, AttentionTextTraining.initialWeights(spec));
    }

    private FastAttentionLearner(ModelSpec spec, float[] params) {
        super(spec.get(AttentionTextSpec.BATCH_SIZE));
        this.vocab = spec.get(AttentionTextSpec.VOCAB_SIZE);
        this.dim = spec.get(AttentionTextSpec.D_MODEL);
        this.learningRate = spec.get(AttentionTextSpec.LEARNING_RATE);
        this.blockLearningRate = spec.get(AttentionTextSpec.BLOCK_LEARNING_RATE);
        this.embeddingLearningRate = spec.get(AttentionTextSpec.EMBEDDING_LEARNING_RATE);
        this.denseOffset = vocab * dim;
        this.rowIndex = new int[vocab];
        this.lastStep = new int[vocab];
        Arrays.fill(rowIndex, -1);
        this.rowGradients = new double[touchedRows.length * dim];
        this.tokenGradients = new double[AttentionTextSpec.positions(spec) * dim];
        reshape(spec, params, new float[params.length], new float[params.length]);
    }

    private void reshape(ModelSpec spec, float[] params, float[] m, float[] v) {
        this.spec = spec;
        this.params = params;
        this.m = m;
        this.v = v;
        this.slots = spec.get(AttentionTextSpec.MAX_LABELS);
        this.headOffset = ParameterLayout.of(spec).block("2_W").offset();
        this.kernel = new AttentionTextKernel(new ModelWeights(spec, params));
        this.pass = kernel.newPass();
        this.dense = new double[params.length - denseOffset];
        this.model = null;
    }

    /** Continues a snapshot taken by {@link #snapshot()}. */
    public static FastAttentionLearner restore(LearnerSnapshot snapshot) {
        if (!snapshot.kind().equals(AttentionTextFamily.ID)) {
            throw new IllegalArgumentException(
                    "a snapshot of " + snapshot.kind() + ", expected " + AttentionTextFamily.ID);
        }
        ModelSpec spec = ModelSpec.fromMap(AttentionTextFamily.INSTANCE, snapshot.spec());
        int size = ParameterLayout.of(spec).size();
        int vocab = spec.get(AttentionTextSpec.VOCAB_SIZE);
        DenseAdam.requireFits(snapshot, spec, size, 2 * vocab);
        float[] state = snapshot.updaterState();
        FastAttentionLearner learner = new FastAttentionLearner(spec, snapshot.params().clone());
        System.arraycopy(state, 0, learner.m, 0, size);
        System.arraycopy(state, size, learner.v, 0, size);
        for (int id = 0; id < vocab; id++) {
            learner.lastStep[id] =
                    ((int) state[2 * size + 2 * id] << 16) | (int) state[2 * size + 2 * id + 1];
        }
        learner.step = snapshot.iterationCount();
        learner.batches.restore(snapshot.pending(), snapshot.examplesSeen());
        return learner;
    }

    @Override
    public Offer offer(TokenizedText text, String label) {
        if (label == null || label.isEmpty()) {
            return Offer.rejected("label is missing: only labelled texts can be learned");
        }
        if (text.isEmpty()) {
            return Offer.rejected("text has no token (letters or digits): nothing to learn");
        }
        int[] ids =
                TokenSelection.ids(
                        text,
                        TokenSelection.positions(text, spec.get(AttentionTextSpec.MAX_TOKENS)));
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                return Offer.rejected("token id " + id + " is outside [0, " + vocab + ")");
            }
        }
        try {
            int needed = AttentionLabelGrowth.slotsFor(spec, label);
            if (needed > slots) {
                ModelWeights grown =
                        AttentionLabelGrowth.grow(new ModelWeights(spec, params), needed);
                reshape(
                        grown.spec(),
                        grown.params(),
                        AttentionLabelGrowth.carry(spec, m, needed),
                        AttentionLabelGrowth.carry(spec, v, needed));
            }
            spec = AttentionTextSpec.withLabel(spec, label);
        } catch (IllegalArgumentException e) {
            return Offer.rejected(e.getMessage());
        }
        int slot = AttentionTextSpec.labels(spec).indexOf(label);
        return batches.add(new AttentionExample(ids, slot));
    }

    @Override
    protected Offer fitBatch(List<AttentionExample> batch) {
        double loss = gradients(batch);
        if (!Double.isFinite(loss) || !gradientsFinite()) {
            clearTouchedRows();
            return Offer.reverted(loss);
        }
        adam();
        return Offer.trained(loss);
    }

    /**
     * Fills the gradients of the mini-batch's mean cross-entropy (dense ones for the block and the
     * head, compact rows for the embedding) and returns that loss.
     */
    private double gradients(List<AttentionExample> batch) {
        Arrays.fill(dense, 0);
        touched = 0;
        double share = 1.0 / batch.size();
        double loss = 0;
        for (AttentionExample x : batch) {
            int[] ids = x.ids();
            double[] p = AttentionTextKernel.softmax(kernel.forward(ids, pass), slots);
            loss -= Math.log(Math.max(CLIP, p[x.slot()]));
            for (int c = 0; c < slots; c++) {
                p[c] = (p[c] - (c == x.slot() ? 1 : 0)) * share;
            }
            kernel.backward(ids, pass, p, dense, tokenGradients);
            for (int t = 0; t < ids.length; t++) {
                int g = gradientRow(ids[t]) * dim;
                int from = t * dim;
                for (int i = 0; i < dim; i++) {
                    rowGradients[g + i] += tokenGradients[from + i];
                }
            }
        }
        return loss * share;
    }

    /**
     * The gradient of a mini-batch's mean loss in layout order, without learning from it (for tests
     * that hold this learner to a reference).
     */
    double[] gradientOf(List<AttentionExample> batch) {
        double[] all = new double[params.length];
        gradients(batch);
        for (int r = 0; r < touched; r++) {
            System.arraycopy(rowGradients, r * dim, all, touchedRows[r] * dim, dim);
        }
        System.arraycopy(dense, 0, all, denseOffset, dense.length);
        clearTouchedRows();
        return all;
    }

    private int gradientRow(int id) {
        int r = rowIndex[id];
        if (r >= 0) {
            return r;
        }
        if (touched == touchedRows.length) {
            touchedRows = Arrays.copyOf(touchedRows, 2 * touched);
            rowGradients = Arrays.copyOf(rowGradients, 2 * touched * dim);
        }
        r = touched++;
        rowIndex[id] = r;
        touchedRows[r] = id;
        Arrays.fill(rowGradients, r * dim, (r + 1) * dim, 0);
        return r;
    }

    private boolean gradientsFinite() {
        double sum = 0;
        for (double g : dense) {
            sum += g;
        }
        for (int i = 0; i < touched * dim; i++) {
            sum += rowGradients[i];
        }
        return Double.isFinite(sum);
    }

    private void adam() {
        float embeddingAlpha = Dl4jAdam.stepSize(embeddingLearningRate, step);
        float drift = (float) drift(step);
        for (int r = 0; r < touched; r++) {
            int id = touchedRows[r];
            int row = id * dim;
            int g = r * dim;
            int idle = step - lastStep[id];
            // The dense zero-gradient steps this row missed, in closed form: moments decayed, the
            // drift not yet due taken back. Exactly zero for a row never updated (m = v = 0).
            float pendingDrift = (float) (Math.pow(RATIO, idle) * (embeddingAlpha + drift));
            float mDecay = (float) Math.pow(BETA1, Math.max(0, idle - 1));
            float vDecay = (float) Math.pow(BETA2, Math.max(0, idle - 1));
            for (int d = 0; d < dim; d++) {
                int i = row + d;
                float gi = (float) rowGradients[g + d];
                float p = params[i] + pendingDrift * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
                float mi = BETA1 * (mDecay * m[i]) + (1 - BETA1) * gi;
                float vi = BETA2 * (vDecay * v[i]) + (1 - BETA2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float direction = mi / ((float) Math.sqrt(vi) + EPSILON);
                params[i] = p - embeddingAlpha * direction - drift * direction;
            }
            lastStep[id] = step;
        }
        clearTouchedRows();
        float alpha = Dl4jAdam.stepSize(blockLearningRate, step);
        float headAlpha = Dl4jAdam.stepSize(learningRate * headFactor, step);
        for (int i = 0; i < dense.length; i++) {
            int at = denseOffset + i;
            float a = at < headOffset ? alpha : headAlpha;
            Dl4jAdam.update(params, m, v, at, (float) dense[i], a);
        }
        step++;
    }

    /**
     * How far dense Adam would still move a row after iteration {@code t} if no later gradient
     * touched it, per unit of {@code m/(√v+ε)}: {@code Σ_{j≥1} α_{t+j} (β1/√β2)^j}, as the text
     * classifier's fast learner computes it.
     */
    private double drift(int t) {
        double beta1t = Math.pow(BETA1, t + 1);
        double beta2t = Math.pow(BETA2, t + 1);
        double sum = 0;
        double ratio = 1;
        for (int j = 1; j <= DRIFT_TERMS; j++) {
            beta1t *= BETA1;
            beta2t *= BETA2;
            ratio *= RATIO;
            double alpha =
                    embeddingLearningRate * Math.sqrt(1 - (float) beta2t) / (1 - (float) beta1t);
            sum += (float) alpha * ratio;
        }
        return sum;
    }

    private void clearTouchedRows() {
        for (int r = 0; r < touched; r++) {
            rowIndex[touchedRows[r]] = -1;
        }
        touched = 0;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ModelWeights weights() {
        return new ModelWeights(spec, params.clone());
    }

    /** Shares the learner's array, so it scores with the weights as they are now. */
    @Override
    public AttentionTextModel model() {
        if (model == null || !model.weights().spec().equals(spec)) {
            model = new AttentionTextModel(new ModelWeights(spec, params));
        }
        return model;
    }

    /**
     * Parameters; as {@code updaterState} all of m, then all of v (layout order), then per
     * embedding row the iteration that last updated it as two floats (high and low 16 bits, both
     * exact in a float); the step count.
     */
    @Override
    public LearnerSnapshot snapshot() {
        int size = params.length;
        float[] state = DenseAdam.updaterState(m, v, 2 * vocab);
        for (int id = 0; id < vocab; id++) {
            state[2 * size + 2 * id] = lastStep[id] >>> 16;
            state[2 * size + 2 * id + 1] = lastStep[id] & 0xFFFF;
        }
        return DenseAdam.snapshot(spec, params, state, step, batches);
    }

    /** The output layer's rate only, as the text classifier's head. */
    @Override
    public void scaleLearningRate(double factor) {
        headFactor = LearningRates.checkedFactor(factor);
    }

    @Override
    public void startFrom(ModelWeights weights) {
        if (!weights.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "weights for " + weights.spec() + " cannot start a learner of " + spec);
        }
        System.arraycopy(weights.params(), 0, params, 0, params.length);
    }
}
