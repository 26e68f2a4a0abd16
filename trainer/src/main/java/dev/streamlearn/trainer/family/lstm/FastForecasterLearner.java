package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.Activations;
import dev.streamlearn.models.family.lstm.LinearPart;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.BatchedLearner;
import dev.streamlearn.trainer.learning.DenseAdam;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.LearningRates;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code lstm-forecaster} learned in plain Java ({@code engine=fast}): the network of {@link
 * LstmForecasterTraining#network} — one LSTM layer (Hochreiter &amp; Schmidhuber 1997, forget gate,
 * no peepholes) read to its last time step, a linear output unit — trained by backpropagation
 * through time over the whole window (Werbos 1990), on the {@code float[]} the scoring kernel reads
 * (ParameterLayout order: {@code 0_W [1,4H], 0_RW [H,4H], 0_b [1,4H], 1_W [H,1], 1_b [1,1]}; gate
 * blocks along 4H in DL4J's order: cell candidate, forget, output, input).
 *
 * <p>The arithmetic is DL4J's: squared error averaged over the mini-batch (DL4J's {@code LossMSE}
 * with one output), Adam (Kingma &amp; Ba 2015) with β1 0.9, β2 0.999, ε 1e-8 and the
 * bias-corrected step size {@code lr·√(1−β2^t) / (1−β1^t)} of DL4J 1.0.0-M2.1's {@code
 * AdamUpdater}, applied to every parameter (they are few: 4,513 for H = 32); the initial weights
 * are DL4J's own (Xavier, the forget-gate bias at 1, the spec's seed). The activations are the
 * scoring kernel's ({@link Activations}, within 3.1e-7 of tanh), so the forward pass that trains is
 * the one that scores. {@code FastForecasterParityTest} holds its gradients and an Adam step to
 * DL4J's.
 *
 * <p>Loops run over rows of the recurrent matrix (and of its transpose, for the gradient flowing
 * back to the previous hidden state) copied out of the flat array once per mini-batch, for the
 * reason {@code LstmForecasterKernel} gives: a variable offset into one flat array keeps the JIT
 * from vectorising them.
 *
 * <p>With a linear part ({@code structure=linear+lstm}) each example first fits it ({@link
 * LinearPartLearner}, at once) and the LSTM learns, in mini-batches, what the linear part predicted
 * wrong before that fit; Adam touches only the LSTM's parameters.
 *
 * <p>A mini-batch whose loss or gradients are not finite is not applied ({@link
 * Offer.Status#REVERTED}); with finite gradients Adam's step is bounded, so the weights stay finite
 * without checking them. Not thread-safe.
 */
public final class FastForecasterLearner extends BatchedLearner<SeriesExample>
        implements SeriesLearner {

    private final ModelSpec spec;
    private final SeriesExamples examples;
    private final int window;
    private final int hidden;
    private final double learningRate;
    private double learningRateFactor = 1;
    private final int inOff;
    private final int recOff;
    private final int biasOff;
    private final int outOff;
    private final int outBiasOff;
    private final float[] params;
    private final DenseAdam adam;
    private final float[] gradient;
    private final int lstmSize;
    private final LinearPartLearner linear;

    // Scratch of one mini-batch. Per time step t: the hidden state before it (hs[t]), the cell
    // after it (cells[t + 1]; cells[0] is zero), the activated gates and tanh of the cell.
    private final float[][] rows;
    private final float[][] columns;
    private final float[][] rowGradients;
    private final float[][] hs;
    private final float[][] cells;
    private final float[][] gates;
    private final float[][] cellTanh;
    private final float[] dz;
    private final float[] dh;
    private final float[] dhBefore;
    private final float[] dc;

    private final LstmForecasterModel model;
    private boolean modelStale;

    public FastForecasterLearner(ModelSpec spec) {
        this(spec, initialParams(spec));
    }

    private static ModelSpec lstmSpec(ModelSpec spec) {
        if (spec.kind() != LstmForecasterFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected an lstm-forecaster spec, got " + spec.kind().id());
        }
        return spec;
    }

    private FastForecasterLearner(ModelSpec spec, float[] params) {
        super(lstmSpec(spec).get(LstmForecasterSpec.BATCH_SIZE));
        this.spec = spec;
        this.examples = new SeriesExamples(spec);
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.hidden = spec.get(LstmForecasterSpec.HIDDEN_SIZE);
        this.learningRate = spec.get(LstmForecasterSpec.LEARNING_RATE);
        ParameterLayout layout = ParameterLayout.of(spec);
        this.inOff = layout.block("0_W").offset();
        this.recOff = layout.block("0_RW").offset();
        this.biasOff = layout.block("0_b").offset();
        this.outOff = layout.block("1_W").offset();
        this.outBiasOff = layout.block("1_b").offset();
        this.params = params;
        this.lstmSize = outBiasOff + 1;
        this.linear = LstmForecasterSpec.hasLinearPart(spec) ? new LinearPartLearner(spec) : null;
        this.adam = new DenseAdam(params);
        this.gradient = new float[params.length];
        int g4 = 4 * hidden;
        this.rows = new float[hidden][g4];
        this.columns = new float[g4][hidden];
        this.rowGradients = new float[hidden][g4];
        this.hs = new float[window + 1][hidden];
        this.cells = new float[window + 1][hidden];
        this.gates = new float[window][g4];
        this.cellTanh = new float[window][hidden];
        this.dz = new float[g4];
        this.dh = new float[hidden];
        this.dhBefore = new float[hidden];
        this.dc = new float[hidden];
        this.model = new LstmForecasterModel(new ModelWeights(spec, params));
    }

    /** DL4J's initialisation of the same network and seed, in layout order. */
    private static float[] initialParams(ModelSpec spec) {
        MultiLayerNetwork net =
                new MultiLayerNetwork(LstmForecasterTraining.INSTANCE.network(spec));
        net.init();
        float[] lstm = Dl4jWeights.export(LstmForecasterTraining.lstmOnly(spec), net).params();
        // The linear part starts at 0: persistence.
        return Arrays.copyOf(lstm, ParameterLayout.of(spec).size());
    }

    /** Continues a snapshot taken by {@link #snapshot()}. */
    public static FastForecasterLearner restore(LearnerSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        int size = ParameterLayout.of(spec).size();
        int linearState =
                LstmForecasterSpec.hasLinearPart(spec) ? LinearPartLearner.stateSize(spec) : 0;
        DenseAdam.requireFits(snapshot, spec + " (engine=fast)", size, linearState);
        FastForecasterLearner learner = new FastForecasterLearner(spec, snapshot.params().clone());
        learner.adam.restore(snapshot);
        if (learner.linear != null) {
            learner.linear.restore(snapshot.updaterState(), 2 * size);
        }
        learner.batches.restore(snapshot.pending(), snapshot.examplesSeen());
        learner.modelStale = true;
        return learner;
    }

    @Override
    public Offer offer(NormalisedWindow window, double next) {
        Offer refused = examples.refusal(window, next);
        if (refused != null) {
            return refused;
        }
        if (linear == null) {
            return batches.add(examples.example(window, next));
        }
        LinearPart part = model.linearPart();
        SeriesExample residual = examples.residualExample(window, next, part.predict(window));
        linear.learn(part, window, examples.target(window, next));
        linear.writeInto(params);
        return batches.add(residual);
    }

    @Override
    protected Offer fitBatch(List<SeriesExample> batch) {
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
    double fit(List<SeriesExample> batch) {
        double loss = gradients(batch);
        float sum = 0;
        for (int i = 0; i < lstmSize; i++) {
            sum += gradient[i];
        }
        if (!Double.isFinite(loss) || !Float.isFinite(sum)) {
            return Double.NaN;
        }
        adam.step(gradient, lstmSize, learningRate * learningRateFactor);
        return loss;
    }

    /**
     * The gradient of a mini-batch's mean loss, in layout order, without learning from it (for
     * tests that hold this learner to DL4J's).
     */
    float[] gradientOf(List<SeriesExample> batch) {
        gradients(batch);
        return gradient.clone();
    }

    /** Fills {@link #gradient} with that of the mini-batch's mean loss; returns the mean loss. */
    private double gradients(List<SeriesExample> batch) {
        final int hsz = hidden;
        final int g4 = 4 * hsz;
        for (int k = 0; k < hsz; k++) {
            float[] row = rows[k];
            System.arraycopy(params, recOff + k * g4, row, 0, g4);
            Arrays.fill(rowGradients[k], 0f);
            for (int j = 0; j < g4; j++) {
                columns[j][k] = row[j];
            }
        }
        Arrays.fill(gradient, 0f);
        float perExample = 1f / batch.size();
        double loss = 0;
        for (SeriesExample x : batch) {
            float out = forward(x.inputs());
            float error = out - x.target();
            loss += (double) error * error;
            // d(mean of squared errors)/d(out), as DL4J's LossMSE with one output
            float dOut = 2 * error * perExample;
            gradient[outBiasOff] += dOut;
            float[] last = hs[window];
            for (int k = 0; k < hsz; k++) {
                gradient[outOff + k] += dOut * last[k];
                dh[k] = dOut * params[outOff + k];
            }
            backward(x.inputs());
        }
        for (int k = 0; k < hsz; k++) {
            System.arraycopy(rowGradients[k], 0, gradient, recOff + k * g4, g4);
        }
        return loss / batch.size();
    }

    /** The output for one window, keeping every step's state for {@link #backward}. */
    private float forward(float[] inputs) {
        final int hsz = hidden;
        final int g4 = 4 * hsz;
        for (int t = 0; t < window; t++) {
            float x = inputs[t];
            float[] g = gates[t];
            float[] h = hs[t];
            for (int j = 0; j < g4; j++) {
                g[j] = Math.fma(x, params[inOff + j], params[biasOff + j]);
            }
            for (int k = 0; k < hsz; k++) {
                float hk = h[k];
                float[] row = rows[k];
                for (int j = 0; j < g4; j++) {
                    g[j] = Math.fma(hk, row[j], g[j]);
                }
            }
            for (int j = 0; j < hsz; j++) {
                g[j] = Activations.tanh(g[j]);
            }
            for (int j = hsz; j < g4; j++) {
                g[j] = 0.5f * Activations.tanh(0.5f * g[j]) + 0.5f;
            }
            float[] before = cells[t];
            float[] after = cells[t + 1];
            float[] tc = cellTanh[t];
            float[] next = hs[t + 1];
            for (int j = 0; j < hsz; j++) {
                float cell = Math.fma(g[hsz + j], before[j], g[3 * hsz + j] * g[j]);
                after[j] = cell;
                tc[j] = Activations.tanh(cell);
                next[j] = g[2 * hsz + j] * tc[j];
            }
        }
        float out = params[outBiasOff];
        float[] last = hs[window];
        for (int k = 0; k < hsz; k++) {
            out += last[k] * params[outOff + k];
        }
        return out;
    }

    /**
     * Backpropagation through time from {@link #dh} (the gradient at the last hidden state), adding
     * to the gradients of the LSTM's parameters.
     */
    private void backward(float[] inputs) {
        final int hsz = hidden;
        final int g4 = 4 * hsz;
        Arrays.fill(dc, 0f);
        for (int t = window - 1; t >= 0; t--) {
            float[] g = gates[t];
            float[] tc = cellTanh[t];
            float[] before = cells[t];
            for (int j = 0; j < hsz; j++) {
                float a = g[j];
                float f = g[hsz + j];
                float o = g[2 * hsz + j];
                float i = g[3 * hsz + j];
                float dhj = dh[j];
                float dcj = dc[j] + dhj * o * (1 - tc[j] * tc[j]);
                float dOutGate = dhj * tc[j];
                dz[j] = dcj * i * (1 - a * a);
                dz[hsz + j] = dcj * before[j] * f * (1 - f);
                dz[2 * hsz + j] = dOutGate * o * (1 - o);
                dz[3 * hsz + j] = dcj * a * i * (1 - i);
                dc[j] = dcj * f;
            }
            float x = inputs[t];
            for (int j = 0; j < g4; j++) {
                gradient[inOff + j] = Math.fma(x, dz[j], gradient[inOff + j]);
                gradient[biasOff + j] += dz[j];
            }
            float[] h = hs[t];
            for (int k = 0; k < hsz; k++) {
                float hk = h[k];
                float[] rg = rowGradients[k];
                for (int j = 0; j < g4; j++) {
                    rg[j] = Math.fma(hk, dz[j], rg[j]);
                }
            }
            if (t > 0) {
                Arrays.fill(dhBefore, 0f);
                for (int j = 0; j < g4; j++) {
                    float dzj = dz[j];
                    float[] column = columns[j];
                    for (int k = 0; k < hsz; k++) {
                        dhBefore[k] = Math.fma(dzj, column[k], dhBefore[k]);
                    }
                }
                System.arraycopy(dhBefore, 0, dh, 0, hsz);
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ModelWeights weights() {
        return new ModelWeights(spec, params.clone());
    }

    /** Shares the learner's array: refreshed in place after a fit. */
    @Override
    public LstmForecasterModel model() {
        if (modelStale) {
            model.refresh();
            modelStale = false;
        }
        return model;
    }

    /** The Adam step count (DL4J's iteration count). */
    public int steps() {
        return adam.steps();
    }

    /**
     * Parameters; as {@code updaterState} all of m, then all of v (each in layout order), then the
     * linear part's state if it has one ({@link LinearPartLearner#state}); the step count as {@code
     * iterationCount}.
     */
    @Override
    public LearnerSnapshot snapshot() {
        return adam.snapshot(spec, batches, linear == null ? new float[0] : linear.state());
    }

    /** The linear part's least squares are not scaled: they follow a change on their own. */
    @Override
    public void scaleLearningRate(double factor) {
        learningRateFactor = LearningRates.checkedFactor(factor);
    }

    @Override
    public void startFrom(ModelWeights weights) {
        adam.startFrom(spec, weights);
        if (linear != null) {
            linear.readFrom(params);
        }
        modelStale = true;
    }
}
