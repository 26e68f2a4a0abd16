package dev.streamlearn.models.family.cnn;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scoring-ready {@code cnn-classifier}: kernel + label names of one set of weights. What the
 * scorer holds per model version, what {@code evaluate} and the trainer's test-then-train score
 * with. Probabilities are over the known labels only: a slot without a label takes none.
 *
 * <p>The explanation is a {@link SaliencyMap}: gradient × input of the predicted label's logit
 * (Simonyan et al. 2014 for the gradient, Shrikumar et al. 2016 for × input), summed over cells of
 * {@link #SALIENCY_CELL} × {@link #SALIENCY_CELL} pixels (7 × 7 on a 28 × 28 digit). Gradient ×
 * input rather than occlusion because it costs one backward pass, about one forward pass, where
 * occluding each of 49 cells costs 49 forward passes per score; and it is the measure {@code
 * mlp-classifier}'s contributions use, so the two families explain alike. Times input, because the
 * gradient alone lights up blank background where ink would change the answer, while a digit is
 * explained by the ink it has. Summed per cell, because single-pixel gradients of a ReLU network
 * are noisy and a dashboard overlay needs regions; the sum is signed, so ink that argued against
 * the prediction shows as such.
 *
 * <p>Not thread-safe.
 */
public final class CnnClassifierModel {
    /** Side of a saliency cell in pixels. */
    public static final int SALIENCY_CELL = 4;

    private final ModelWeights weights;
    private final CnnClassifierKernel kernel;
    private final List<String> labels;
    private final CnnClassifierKernel.Activations activations;
    private final float[] image;

    public CnnClassifierModel(ModelWeights weights) {
        if (weights.spec().kind() != CnnClassifierFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected cnn-classifier weights, got " + weights.spec().kind().id());
        }
        this.weights = weights;
        this.kernel = new CnnClassifierKernel(weights);
        this.labels = CnnClassifierSpec.labels(weights.spec());
        this.activations = kernel.newActivations();
        this.image = new float[kernel.geometry().pixels()];
    }

    public ModelWeights weights() {
        return weights;
    }

    public List<String> labels() {
        return labels;
    }

    public CnnClassifierKernel kernel() {
        return kernel;
    }

    /** Repacks the kernel after the weights' array changed in place (the fast learner's fits). */
    public void refresh() {
        kernel.refresh();
    }

    /**
     * Why an image of {@code width × height × channels} with {@code pixels} cannot be scored or
     * learned by a model of {@code spec}, or null if it can: another size or channel count than the
     * spec's, or a pixel array of another length than its size says.
     */
    public static String refusal(
            ModelSpec spec, int width, int height, int channels, byte[] pixels) {
        int w = spec.get(CnnClassifierSpec.WIDTH);
        int h = spec.get(CnnClassifierSpec.HEIGHT);
        int c = spec.get(CnnClassifierSpec.CHANNELS);
        if (width != w || height != h || channels != c) {
            return "image of "
                    + width
                    + "x"
                    + height
                    + "x"
                    + channels
                    + " (width x height x channels), expected "
                    + w
                    + "x"
                    + h
                    + "x"
                    + c
                    + " (the model's size)";
        }
        if (pixels == null) {
            return "pixels are missing";
        }
        if (pixels.length != w * h * c) {
            return pixels.length
                    + " pixel bytes for a "
                    + width
                    + "x"
                    + height
                    + "x"
                    + channels
                    + " image, expected "
                    + w * h * c;
        }
        return null;
    }

    /** The image's bytes (0-255, channel-last) scaled to [0, 1], as the network reads them. */
    public static float[] scaled(byte[] pixels) {
        float[] x = new float[pixels.length];
        scale(pixels, x);
        return x;
    }

    private static void scale(byte[] pixels, float[] x) {
        for (int i = 0; i < pixels.length; i++) {
            x[i] = (pixels[i] & 0xFF) / 255f;
        }
    }

    /**
     * The label {@link #predict} would give a scaled image ({@link #scaled}) and the probability of
     * {@code actual}, no more.
     */
    public TestedImage test(float[] scaledImage, String actual) {
        requireSize(scaledImage.length);
        if (labels.isEmpty()) {
            return new TestedImage(null, 0);
        }
        double[] p =
                CnnClassifierKernel.softmax(
                        kernel.forward(scaledImage, activations), labels.size());
        int slot = labels.indexOf(actual);
        return new TestedImage(labels.get(argMax(p)), slot < 0 ? 0 : p[slot]);
    }

    /**
     * Scores an image and explains the prediction.
     *
     * @throws IllegalArgumentException if {@link #refusal} names a reason
     */
    public ImagePrediction predict(int width, int height, int channels, byte[] pixels) {
        String refusal = refusal(weights.spec(), width, height, channels, pixels);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        scale(pixels, image);
        CnnGeometry g = kernel.geometry();
        int cellsWide = (width + SALIENCY_CELL - 1) / SALIENCY_CELL;
        int cellsHigh = (height + SALIENCY_CELL - 1) / SALIENCY_CELL;
        double[] cells = new double[cellsWide * cellsHigh];
        if (labels.isEmpty()) {
            return new ImagePrediction(
                    null, Map.of(), new SaliencyMap(cellsWide, cellsHigh, SALIENCY_CELL, cells));
        }
        float[] logits = kernel.forward(image, activations);
        double[] p = CnnClassifierKernel.softmax(logits, labels.size());
        int best = argMax(p);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(labels.get(c), p[c]);
        }
        float[] unit = new float[g.slots()];
        unit[best] = 1;
        float[] gradient = kernel.backward(image, activations, unit, null, true);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int cell = (y / SALIENCY_CELL) * cellsWide + x / SALIENCY_CELL;
                int i = (y * width + x) * channels;
                for (int c = 0; c < channels; c++) {
                    cells[cell] += (double) gradient[i + c] * image[i + c];
                }
            }
        }
        return new ImagePrediction(
                labels.get(best),
                Collections.unmodifiableMap(probabilities),
                new SaliencyMap(cellsWide, cellsHigh, SALIENCY_CELL, cells));
    }

    private void requireSize(int length) {
        if (length != image.length) {
            throw new IllegalArgumentException(
                    "scaled image of " + length + " values, expected " + image.length);
        }
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
