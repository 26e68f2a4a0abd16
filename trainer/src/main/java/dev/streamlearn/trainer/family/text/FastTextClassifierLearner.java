package dev.streamlearn.trainer.family.text;

import static dev.streamlearn.trainer.learning.Dl4jAdam.BETA1;
import static dev.streamlearn.trainer.learning.Dl4jAdam.BETA2;
import static dev.streamlearn.trainer.learning.Dl4jAdam.EPSILON;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.BatchedLearner;
import dev.streamlearn.trainer.learning.DenseAdam;
import dev.streamlearn.trainer.learning.Dl4jAdam;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.LearningRates;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code text-classifier} learned in plain Java ({@code engine=fast}): the forward and backward
 * pass of {@link TextClassifierTraining#network}'s network fused into one loop over a mini-batch,
 * on the {@code float[]} the scoring kernel reads (ParameterLayout order: {@code 0_W [V,D]}, {@code
 * 2_W [D,K]}, {@code 2_b [1,K]}). The arithmetic is DL4J's: embedding rows averaged over a text's
 * tokens, softmax over all K slots, cross-entropy averaged over the mini-batch, Adam (Kingma &amp;
 * Ba 2015) with β1 0.9, β2 0.999, ε 1e-8 and the bias-corrected step size {@code lr·√(1−β2^t) /
 * (1−β1^t)} of DL4J 1.0.0-M2.1's {@code AdamUpdater}, {@code lr} the embedding's own ({@code
 * embeddingLearningRate}) for the embedding and {@code learningRate} for the softmax layer, as
 * DL4J's per-layer updaters have them; the initial weights are DL4J's own (Xavier, the spec's
 * seed). {@code FastLearnerParityTest} holds its gradients and an Adam step to DL4J's.
 *
 * <p>One deliberate difference: Adam's moments are <em>lazy</em> for the embedding, as in
 * fastText's sparse updates and LazyAdam. A mini-batch reads and updates only the rows of its own
 * tokens (and their moments, with the global step count in the bias correction); a row no text has
 * touched for k steps keeps its moments as they were, where DL4J's dense Adam would decay them and
 * keep moving the row on momentum. That makes a step cost what its tokens cost rather than V×D. The
 * head (D×K + K) is updated fully every step.
 *
 * <p>Plain lazy Adam learns rare tokens far more slowly than dense Adam: dense Adam keeps moving a
 * row on its momentum after its last gradient, {@code α (β1/√β2)^j m/√v} at the j-th step after,
 * about ten times the first step in all, and lazy Adam drops that (measured: 0.5 to 3 points of
 * prequential accuracy below DL4J, BENCHMARKS.md "Trainer"). So each updated row is also moved at
 * once by all of that momentum drift, in closed form ({@link #drift}); when the row is touched
 * again k steps later, the drift not yet due by then is taken back and its moments are decayed by
 * β1^(k−1) and β2^(k−1), which is exactly where dense Adam's zero-gradient steps leave them. So
 * every row moves by dense Adam's rule for the gradients it gets (ε applied to the undecayed
 * moments in the drift), only earlier, and later gradients are taken at those earlier-moved
 * weights; the price is one iteration number per row ({@code lastStep}). {@link #denseParams()}
 * takes the early drift back, for the parity test. A snapshot is weights, moments, those iteration
 * numbers, step count and pending examples.
 *
 * <p>A label never seen that finds every slot taken grows the model to twice the slots ({@link
 * LabelGrowth}, up to {@code TextClassifierSpec.MAX_SLOTS}) with Adam's moments carried over, so no
 * example waits or is refused for want of a slot.
 *
 * <p>A mini-batch whose loss or gradients are not finite is not applied ({@link
 * Offer.Status#REVERTED}); with finite gradients Adam's step is bounded, so the weights stay finite
 * without checking all of them. Not thread-safe.
 */
public final class FastTextClassifierLearner extends BatchedLearner<TextExample>
        implements TextLearner {

    /** DL4J's LossMCXENT clips probabilities this far from 0 and 1 before the log. */
    private static final double CLIP = 1e-10;

    /** β1/√β2: how a zero-gradient Adam step shrinks {@code m/√v}. */
    private static final double RATIO = BETA1 / Math.sqrt(BETA2);

    private static final int DRIFT_TERMS = 400;

    private static final int POWER_TABLE = 4096;
    private static final double[] RATIO_POWERS = powers(RATIO);
    private static final double[] BETA1_POWERS = powers(BETA1);
    private static final double[] BETA2_POWERS = powers(BETA2);

    private ModelSpec spec;
    private final HashingTokenizer tokenizer;
    private final int vocab;
    private final int dim;
    private int slots;
    private final double learningRate;
    private final double embeddingLearningRate;
    private double headFactor = 1;
    private final int wOff;
    private int bOff;
    private float[] params;
    private float[] m;
    private float[] v;

    /** Per embedding row, the iteration that last updated it (0 for a row never updated). */
    private final int[] lastStep;

    private int step;

    // Scratch of one mini-batch: the rows its tokens touch and their gradients, compactly.
    private final int[] rowIndex;
    private int[] touchedRows = new int[256];
    private float[] rowGradients;
    private int touched;
    private float[] headGradients;
    private final float[] hidden;
    private final float[] hiddenGradient;
    private double[] logits;
    private float[] logitGradient;

    private TextClassifierModel model;
    private boolean modelStale = true;

    public FastTextClassifierLearner(ModelSpec spec) {
        this(spec, initialParams(spec));
    }

    private FastTextClassifierLearner(ModelSpec spec, float[] params) {
        super(spec.get(TextClassifierSpec.BATCH_SIZE));
        this.spec = spec;
        this.tokenizer = new HashingTokenizer(spec);
        this.vocab = spec.get(TextClassifierSpec.VOCAB_SIZE);
        this.dim = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
        this.slots = spec.get(TextClassifierSpec.MAX_LABELS);
        this.learningRate = spec.get(TextClassifierSpec.LEARNING_RATE);
        this.embeddingLearningRate = spec.get(TextClassifierSpec.EMBEDDING_LEARNING_RATE);
        ParameterLayout layout = ParameterLayout.of(spec);
        this.wOff = layout.block("2_W").offset();
        this.bOff = layout.block("2_b").offset();
        this.params = params;
        this.m = new float[params.length];
        this.v = new float[params.length];
        this.lastStep = new int[vocab];
        this.rowIndex = new int[vocab];
        Arrays.fill(rowIndex, -1);
        this.rowGradients = new float[touchedRows.length * dim];
        this.headGradients = new float[params.length - wOff];
        this.hidden = new float[dim];
        this.hiddenGradient = new float[dim];
        this.logits = new double[slots];
        this.logitGradient = new float[slots];
    }

    /** DL4J's initialisation of the same network and seed, in layout order. */
    private static float[] initialParams(ModelSpec spec) {
        MultiLayerNetwork net =
                new MultiLayerNetwork(TextClassifierTraining.INSTANCE.network(spec));
        net.init();
        return Dl4jWeights.export(spec, net).params();
    }

    /** Continues a snapshot taken by {@link #snapshot()}. */
    public static FastTextClassifierLearner restore(LearnerSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        int size = ParameterLayout.of(spec).size();
        int vocab = spec.get(TextClassifierSpec.VOCAB_SIZE);
        DenseAdam.requireFits(snapshot, spec + " (engine=fast)", size, 2 * vocab);
        float[] state = snapshot.updaterState();
        FastTextClassifierLearner learner =
                new FastTextClassifierLearner(spec, snapshot.params().clone());
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
    public Offer offer(String text, String label) {
        if (text == null) {
            return Offer.rejected("text is missing");
        }
        return offer(tokenizer.tokenize(text), label);
    }

    @Override
    public Offer offer(TokenizedText text, String label) {
        Offer refused = TextClassifierLearner.refusal(text, label, vocab);
        if (refused != null) {
            return refused;
        }
        try {
            int needed = LabelGrowth.slotsFor(spec, label);
            if (needed > slots) {
                grow(needed);
            }
            spec = TextClassifierSpec.withLabel(spec, label);
        } catch (IllegalArgumentException e) {
            return Offer.rejected(e.getMessage());
        }
        int slot = TextClassifierSpec.labels(spec).indexOf(label);
        return batches.add(new TextExample(text.ids().clone(), slot));
    }

    /**
     * Continues as a model of {@code newSlots} slots ({@link LabelGrowth}): the parameters grown,
     * Adam's moments carried (the learned ones kept, the new slots' zero, as a fresh parameter's)
     * and the mini-batch scratch resized. The step count and each embedding row's last iteration
     * stay, since the embedding does not change; buffered examples keep their slots.
     */
    private void grow(int newSlots) {
        ModelSpec from = spec;
        ModelWeights grown = LabelGrowth.grow(new ModelWeights(from, params), newSlots);
        m = LabelGrowth.carry(from, m, newSlots);
        v = LabelGrowth.carry(from, v, newSlots);
        params = grown.params();
        spec = grown.spec();
        slots = newSlots;
        bOff = ParameterLayout.of(spec).block("2_b").offset();
        headGradients = new float[params.length - wOff];
        logits = new double[slots];
        logitGradient = new float[slots];
    }

    @Override
    protected Offer fitBatch(List<TextExample> batch) {
        double loss = fit(batch);
        if (Double.isNaN(loss)) {
            return Offer.reverted(loss);
        }
        modelStale = true;
        return Offer.trained(loss);
    }

    /**
     * One Adam step on a mini-batch; returns its mean loss before the step, or NaN (nothing
     * applied) if the loss or a gradient is not finite.
     */
    double fit(List<TextExample> batch) {
        double loss = gradients(batch);
        if (!Double.isFinite(loss) || !gradientsFinite()) {
            clearTouchedRows();
            return Double.NaN;
        }
        adam();
        return loss;
    }

    /** Fills the gradients of the mini-batch's mean loss; returns the mean loss. */
    private double gradients(List<TextExample> batch) {
        Arrays.fill(headGradients, 0);
        touched = 0;
        float perExample = 1f / batch.size();
        double loss = 0;
        for (TextExample x : batch) {
            int[] ids = x.ids();
            Arrays.fill(hidden, 0);
            for (int id : ids) {
                int row = id * dim;
                for (int d = 0; d < dim; d++) {
                    hidden[d] += params[row + d];
                }
            }
            float count = ids.length;
            for (int d = 0; d < dim; d++) {
                hidden[d] /= count;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < slots; c++) {
                logits[c] = params[bOff + c];
            }
            for (int d = 0; d < dim; d++) {
                float h = hidden[d];
                int w = wOff + d * slots;
                for (int c = 0; c < slots; c++) {
                    logits[c] += h * params[w + c];
                }
            }
            for (int c = 0; c < slots; c++) {
                max = Math.max(max, logits[c]);
            }
            double sum = 0;
            for (int c = 0; c < slots; c++) {
                logits[c] = Math.exp(logits[c] - max);
                sum += logits[c];
            }
            int y = x.slot();
            double py = logits[y] / sum;
            loss -= Math.log(Math.min(1 - CLIP, Math.max(CLIP, py)));
            // Softmax with cross-entropy: dLoss/dlogit = p − onehot(y), averaged over the batch.
            for (int c = 0; c < slots; c++) {
                float p = (float) (logits[c] / sum);
                logitGradient[c] = ((c == y ? p - 1 : p)) * perExample;
            }
            int bias = bOff - wOff;
            for (int c = 0; c < slots; c++) {
                headGradients[bias + c] += logitGradient[c];
            }
            for (int d = 0; d < dim; d++) {
                float h = hidden[d];
                int w = d * slots;
                float back = 0;
                for (int c = 0; c < slots; c++) {
                    headGradients[w + c] += h * logitGradient[c];
                    back += params[wOff + w + c] * logitGradient[c];
                }
                hiddenGradient[d] = back / count;
            }
            for (int id : ids) {
                int g = gradientRow(id) * dim;
                for (int d = 0; d < dim; d++) {
                    rowGradients[g + d] += hiddenGradient[d];
                }
            }
        }
        return loss / batch.size();
    }

    /**
     * The gradient of a mini-batch's mean loss, in layout order, without learning from it (for
     * tests that hold this learner to DL4J's).
     */
    float[] gradientOf(List<TextExample> batch) {
        float[] all = new float[params.length];
        gradients(batch);
        for (int r = 0; r < touched; r++) {
            System.arraycopy(rowGradients, r * dim, all, touchedRows[r] * dim, dim);
        }
        System.arraycopy(headGradients, 0, all, wOff, headGradients.length);
        clearTouchedRows();
        return all;
    }

    /** The compact gradient row of embedding row {@code id}, zeroed when first touched. */
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
        float sum = 0;
        for (float g : headGradients) {
            sum += g;
        }
        for (int i = 0; i < touched * dim; i++) {
            sum += rowGradients[i];
        }
        return Float.isFinite(sum);
    }

    private void adam() {
        float alpha = Dl4jAdam.stepSize(embeddingLearningRate, step);
        float drift = (float) drift(step);
        for (int r = 0; r < touched; r++) {
            int id = touchedRows[r];
            int row = id * dim;
            int g = r * dim;
            int idle = step - lastStep[id];
            // The dense zero-gradient steps this row missed, in closed form: moments decayed, the
            // drift not yet due taken back. Exactly zero for a row never updated (m = v = 0).
            float pendingDrift = (float) (power(RATIO_POWERS, RATIO, idle) * (alpha + drift));
            float mDecay = (float) power(BETA1_POWERS, BETA1, Math.max(0, idle - 1));
            float vDecay = (float) power(BETA2_POWERS, BETA2, Math.max(0, idle - 1));
            for (int d = 0; d < dim; d++) {
                int i = row + d;
                float mi = m[i];
                float vi = v[i];
                float p = params[i] + pendingDrift * mi / ((float) Math.sqrt(vi) + EPSILON);
                mi = BETA1 * (mDecay * mi) + (1 - BETA1) * rowGradients[g + d];
                float gi = rowGradients[g + d];
                vi = BETA2 * (vDecay * vi) + (1 - BETA2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float direction = mi / ((float) Math.sqrt(vi) + EPSILON);
                params[i] = p - alpha * direction - drift * direction;
            }
            lastStep[id] = step;
        }
        float headAlpha = Dl4jAdam.stepSize(learningRate * headFactor, step);
        for (int i = 0; i < headGradients.length; i++) {
            Dl4jAdam.update(params, m, v, wOff + i, headGradients[i], headAlpha);
        }
        clearTouchedRows();
        step++;
    }

    /**
     * How far dense Adam would still move a row after iteration {@code t} if no later gradient
     * touched it, per unit of {@code m/(√v+ε)}: {@code Σ_{j≥1} α_{t+j} (β1/√β2)^j}. Terms beyond
     * {@link #DRIFT_TERMS} are below 1e-18 of the first.
     */
    private double drift(int t) {
        // Dl4jAdam.stepSize(t + j) with the powers carried along instead of recomputed.
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

    /** {@code base^n} for n ≥ 0, from a table for the common small n. */
    private static double power(double[] table, double base, int n) {
        return n < table.length ? table[n] : Math.pow(base, n);
    }

    private static double[] powers(double base) {
        double[] table = new double[POWER_TABLE];
        for (int n = 0; n < table.length; n++) {
            table[n] = Math.pow(base, n);
        }
        return table;
    }

    /**
     * The parameters dense Adam would hold now: without the drift applied ahead of time to rows not
     * touched since (for tests that hold this learner to DL4J's).
     */
    float[] denseParams() {
        float[] dense = params.clone();
        float alpha = Dl4jAdam.stepSize(embeddingLearningRate, step);
        double drift = drift(step);
        for (int id = 0; id < vocab; id++) {
            float pendingDrift = (float) (Math.pow(RATIO, step - lastStep[id]) * (alpha + drift));
            int row = id * dim;
            for (int d = 0; d < dim; d++) {
                int i = row + d;
                dense[i] += pendingDrift * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
            }
        }
        return dense;
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

    /** Shares the learner's array: refreshed in place after a fit, rebuilt when a label arrives. */
    @Override
    public TextClassifierModel model() {
        if (model == null || !model.weights().spec().equals(spec)) {
            model = new TextClassifierModel(new ModelWeights(spec, params));
        } else if (modelStale) {
            model.refresh();
        }
        modelStale = false;
        return model;
    }

    /** The Adam step count (DL4J's iteration count). */
    public int steps() {
        return step;
    }

    /**
     * Parameters; as {@code updaterState} all of m, then all of v (each in layout order), then per
     * embedding row the iteration that last updated it as two floats (high and low 16 bits, both
     * exact in a float); the step count as {@code iterationCount}.
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

    /** The head's rate only: the embedding's rows keep what they learned of the tokens. */
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
        modelStale = true;
    }

    @Override
    public void copyParameters(float[] into) {
        Ranges.requireLength(into, params.length);
        System.arraycopy(params, 0, into, 0, params.length);
    }

    /** In place: the scoring model, sharing the array, is refreshed before it is next used. */
    @Override
    public void addToParameters(int[] starts, int[] lengths, float[] change) {
        Ranges.add(params, starts, lengths, change);
        modelStale = true;
    }
}
