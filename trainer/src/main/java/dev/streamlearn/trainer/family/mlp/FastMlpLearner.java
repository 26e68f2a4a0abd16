package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.mlp.MlpClassifierKernel;
import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
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
 * {@code mlp-classifier} learned in plain Java: for each example of a mini-batch the scoring
 * kernel's own forward pass, then its backward pass ({@link MlpClassifierKernel#backward}) from the
 * cross-entropy's gradient; softmax over all {@code maxLabels} slots and the loss averaged over the
 * mini-batch, as DL4J's {@code OutputLayer} with {@code MCXENT} has them; then Adam (Kingma &amp;
 * Ba 2015) exactly as DL4J applies it ({@link Dl4jAdam}). The initial weights are DL4J's own
 * (Xavier, the spec's seed) for {@link MlpClassifierTraining#network}. A network of a few hundred
 * parameters is what DL4J's per-fit overhead dominates, so there is no DL4J learner: the DL4J
 * network is the reference the parity test holds the kernel and this learner's gradients to.
 *
 * <p>A mini-batch whose loss or gradients are not finite is not applied ({@link
 * Offer.Status#REVERTED}). Not thread-safe.
 */
public final class FastMlpLearner extends BatchedLearner<MlpExample> implements MlpLearner {
    /** DL4J's LossMCXENT clips probabilities this far from 0 before the log. */
    private static final double CLIP = 1e-10;

    private ModelSpec spec;
    private final float[] params;
    private final DenseAdam adam;
    private final double[] gradients;

    /** {@link #gradients} rounded to what Adam steps by. */
    private final float[] stepGradients;

    private final int outputOffset;
    private final int inputs;
    private final int slots;
    private final double learningRate;
    private double outputFactor = 1;
    private final MlpClassifierKernel kernel;
    private final double[][] hidden;
    private MlpClassifierModel model;

    public FastMlpLearner(ModelSpec spec) {
        this(spec, initialParams(spec));
    }

    private FastMlpLearner(ModelSpec spec, float[] params) {
        super(spec.get(MlpClassifierSpec.BATCH_SIZE));
        this.spec = spec;
        this.params = params;
        this.adam = new DenseAdam(params);
        this.gradients = new double[params.length];
        this.stepGradients = new float[params.length];
        int layers = MlpClassifierSpec.hiddenSizes(spec).length;
        this.outputOffset = ParameterLayout.of(spec).block(layers + "_W").offset();
        this.inputs = spec.get(MlpClassifierSpec.INPUTS);
        this.slots = spec.get(MlpClassifierSpec.MAX_LABELS);
        this.learningRate = spec.get(MlpClassifierSpec.LEARNING_RATE);
        this.kernel = new MlpClassifierKernel(new ModelWeights(spec, params));
        this.hidden = kernel.newHidden();
    }

    /** DL4J's initialisation of the same network and seed, in layout order. */
    private static float[] initialParams(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(MlpClassifierTraining.INSTANCE.network(spec));
        net.init();
        return Dl4jWeights.export(spec, net).params();
    }

    /** Continues a snapshot taken by {@link #snapshot()}. */
    public static FastMlpLearner restore(LearnerSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        DenseAdam.requireFits(snapshot, spec, ParameterLayout.of(spec).size(), 0);
        FastMlpLearner learner = new FastMlpLearner(spec, snapshot.params().clone());
        learner.adam.restore(snapshot);
        learner.batches.restore(snapshot.pending(), snapshot.examplesSeen());
        return learner;
    }

    @Override
    public Offer offer(double[] features, String label) {
        String refusal = MlpClassifierModel.refusal(features, inputs);
        if (refusal != null) {
            return Offer.rejected(refusal);
        }
        if (label == null) {
            return Offer.rejected("label is missing");
        }
        try {
            spec = MlpClassifierSpec.withLabel(spec, label);
        } catch (IllegalArgumentException e) {
            return Offer.rejected(e.getMessage());
        }
        int slot = MlpClassifierSpec.labels(spec).indexOf(label);
        return batches.add(new MlpExample(features.clone(), slot));
    }

    @Override
    protected Offer fitBatch(List<MlpExample> batch) {
        double loss = gradients(batch);
        for (double g : gradients) {
            if (!Double.isFinite(g)) {
                return Offer.reverted(loss);
            }
        }
        if (!Double.isFinite(loss)) {
            return Offer.reverted(loss);
        }
        for (int i = 0; i < gradients.length; i++) {
            stepGradients[i] = (float) gradients[i];
        }
        adam.step(stepGradients, learningRate, outputOffset, learningRate * outputFactor);
        return Offer.trained(loss);
    }

    /**
     * Fills {@link #gradients} with the gradient of the mini-batch's mean cross-entropy and returns
     * that loss. Package-private for the parity test.
     */
    double gradients(List<MlpExample> batch) {
        Arrays.fill(gradients, 0);
        double loss = 0;
        double share = 1.0 / batch.size();
        for (MlpExample x : batch) {
            double[] logits = kernel.forward(x.features(), hidden);
            double[] p = MlpClassifierKernel.softmax(logits, slots);
            loss -= Math.log(Math.max(CLIP, p[x.slot()]));
            for (int c = 0; c < slots; c++) {
                p[c] = (p[c] - (c == x.slot() ? 1 : 0)) * share;
            }
            kernel.backward(x.features(), hidden, p, gradients);
        }
        return loss * share;
    }

    /** The gradients {@link #gradients(List)} last computed, as floats, for the parity test. */
    float[] lastGradients() {
        float[] g = new float[gradients.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) gradients[i];
        }
        return g;
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
    public MlpClassifierModel model() {
        if (model == null || !model.weights().spec().equals(spec)) {
            model = new MlpClassifierModel(new ModelWeights(spec, params));
        }
        return model;
    }

    /** Parameters; as {@code updaterState} all of m, then all of v; the step count. */
    @Override
    public LearnerSnapshot snapshot() {
        return adam.snapshot(spec, batches, new float[0]);
    }

    /** The output layer's rate only, as the text classifier's head. */
    @Override
    public void scaleLearningRate(double factor) {
        outputFactor = LearningRates.checkedFactor(factor);
    }

    @Override
    public void startFrom(ModelWeights weights) {
        adam.startFrom(spec, weights);
    }
}
