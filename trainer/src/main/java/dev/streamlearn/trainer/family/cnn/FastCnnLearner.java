package dev.streamlearn.trainer.family.cnn;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.cnn.CnnClassifierKernel;
import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.CnnGeometry;
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
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code cnn-classifier} learned in plain Java: for each example of a mini-batch the scoring
 * kernel's own forward pass, then its backward pass ({@link CnnClassifierKernel#backward}) from the
 * cross-entropy's gradient; softmax over all {@code maxLabels} slots and the loss averaged over the
 * mini-batch, as DL4J's {@code OutputLayer} with {@code MCXENT} has them; then Adam (Kingma &amp;
 * Ba 2015) exactly as DL4J applies it ({@link Dl4jAdam}). The initial weights are DL4J's own for
 * {@link CnnClassifierTraining#network} and the spec's seed. The backward pass skips every
 * activation that max pooling or ReLU zeroed, and works on the one {@code float[]} the scoring
 * model reads, so a fit ends with a repack of the convolutions' weights, not an export. DL4J (the
 * network {@link CnnClassifierTraining#network} builds) is the reference the parity test holds this
 * learner's gradients and the kernel's outputs to.
 *
 * <p>A mini-batch whose loss or gradients are not finite is not applied ({@link
 * Offer.Status#REVERTED}). Not thread-safe.
 */
public final class FastCnnLearner extends BatchedLearner<CnnExample> implements CnnLearner {
    /** DL4J's LossMCXENT clips probabilities this far from 0 before the log. */
    private static final double CLIP = 1e-10;

    private ModelSpec spec;
    private final float[] params;
    private final DenseAdam adam;
    private final int outputOffset;
    private final int slots;
    private final double learningRate;
    private double outputFactor = 1;
    private final CnnClassifierKernel kernel;
    private final CnnClassifierKernel.Activations activations;
    private final CnnClassifierKernel.Gradients gradients;
    private final float[] image;
    private final float[] logitGradient;
    private CnnClassifierModel model;

    public FastCnnLearner(ModelSpec spec) {
        this(spec, initialParams(spec));
    }

    private FastCnnLearner(ModelSpec spec, float[] params) {
        super(spec.get(CnnClassifierSpec.BATCH_SIZE));
        this.spec = spec;
        this.params = params;
        this.adam = new DenseAdam(params);
        CnnGeometry g = CnnGeometry.of(spec);
        this.outputOffset = ParameterLayout.of(spec).block((g.denseLayer() + 1) + "_W").offset();
        this.slots = g.slots();
        this.learningRate = spec.get(CnnClassifierSpec.LEARNING_RATE);
        this.kernel = new CnnClassifierKernel(new ModelWeights(spec, params));
        this.activations = kernel.newActivations();
        this.gradients = kernel.newGradients();
        this.image = new float[g.pixels()];
        this.logitGradient = new float[slots];
    }

    /** DL4J's initialisation of the same network and seed, in layout order. */
    private static float[] initialParams(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(CnnClassifierTraining.INSTANCE.network(spec));
        net.init();
        return Dl4jWeights.export(spec, net).params();
    }

    /** Continues a snapshot taken by {@link #snapshot()}. */
    public static FastCnnLearner restore(LearnerSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        DenseAdam.requireFits(snapshot, spec, ParameterLayout.of(spec).size(), 0);
        FastCnnLearner learner = new FastCnnLearner(spec, snapshot.params().clone());
        learner.adam.restore(snapshot);
        learner.batches.restore(snapshot.pending(), snapshot.examplesSeen());
        return learner;
    }

    @Override
    public Offer offer(int width, int height, int channels, byte[] pixels, String label) {
        String refusal = CnnClassifierModel.refusal(spec, width, height, channels, pixels);
        if (refusal != null) {
            return Offer.rejected(refusal);
        }
        if (label == null) {
            return Offer.rejected("label is missing");
        }
        try {
            spec = CnnClassifierSpec.withLabel(spec, label);
        } catch (IllegalArgumentException e) {
            return Offer.rejected(e.getMessage());
        }
        int slot = CnnClassifierSpec.labels(spec).indexOf(label);
        return batches.add(new CnnExample(pixels.clone(), slot));
    }

    @Override
    protected Offer fitBatch(List<CnnExample> batch) {
        double loss = gradients(batch);
        float[] g = gradients.values();
        for (float gi : g) {
            if (!Float.isFinite(gi)) {
                return Offer.reverted(loss);
            }
        }
        if (!Double.isFinite(loss)) {
            return Offer.reverted(loss);
        }
        adam.step(g, learningRate, outputOffset, learningRate * outputFactor);
        refreshKernels();
        return Offer.trained(loss);
    }

    private void refreshKernels() {
        kernel.refresh();
        if (model != null) {
            model.refresh();
        }
    }

    /**
     * Sums into {@link #gradients} the gradient of the mini-batch's mean cross-entropy and returns
     * that loss. Package-private for the parity test.
     */
    double gradients(List<CnnExample> batch) {
        gradients.clear();
        double loss = 0;
        float share = 1f / batch.size();
        for (CnnExample x : batch) {
            byte[] pixels = x.pixels();
            for (int i = 0; i < pixels.length; i++) {
                image[i] = (pixels[i] & 0xFF) / 255f;
            }
            float[] logits = kernel.forward(image, activations);
            double[] p = CnnClassifierKernel.softmax(logits, slots);
            loss -= Math.log(Math.max(CLIP, p[x.slot()]));
            for (int c = 0; c < slots; c++) {
                logitGradient[c] = (float) (p[c] - (c == x.slot() ? 1 : 0)) * share;
            }
            kernel.backward(image, activations, logitGradient, gradients, false);
        }
        return loss * share;
    }

    /**
     * The gradients {@link #gradients(List)} last computed, in layout order, for the parity test.
     */
    float[] lastGradients() {
        return gradients.values().clone();
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
    public CnnClassifierModel model() {
        if (model == null || !model.weights().spec().equals(spec)) {
            model = new CnnClassifierModel(new ModelWeights(spec, params));
        }
        return model;
    }

    /** Parameters; as {@code updaterState} all of m, then all of v; the step count. */
    @Override
    public LearnerSnapshot snapshot() {
        return adam.snapshot(spec, batches, new float[0]);
    }

    /** The output layer's rate only, as the other classifiers' heads. */
    @Override
    public void scaleLearningRate(double factor) {
        outputFactor = LearningRates.checkedFactor(factor);
    }

    @Override
    public void startFrom(ModelWeights weights) {
        adam.startFrom(spec, weights);
        refreshKernels();
    }
}
