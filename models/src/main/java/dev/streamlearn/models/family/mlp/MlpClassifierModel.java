package dev.streamlearn.models.family.mlp;

import dev.streamlearn.models.kernel.ModelWeights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scoring-ready {@code mlp-classifier}: kernel + label names of one set of weights. What the
 * scorer holds per model version, what {@code evaluate} and the trainer's test-then-train score
 * with. Probabilities are over the known labels only: a slot without a label takes none. Not
 * thread-safe.
 */
public final class MlpClassifierModel {
    private final ModelWeights weights;
    private final MlpClassifierKernel kernel;
    private final List<String> labels;
    private final double[][] hidden;

    public MlpClassifierModel(ModelWeights weights) {
        if (weights.spec().kind() != MlpClassifierFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected mlp-classifier weights, got " + weights.spec().kind().id());
        }
        this.weights = weights;
        this.kernel = new MlpClassifierKernel(weights);
        this.labels = MlpClassifierSpec.labels(weights.spec());
        this.hidden = kernel.newHidden();
    }

    public ModelWeights weights() {
        return weights;
    }

    public List<String> labels() {
        return labels;
    }

    public MlpClassifierKernel kernel() {
        return kernel;
    }

    /**
     * Why {@code features} cannot be scored or learned by a model of {@code inputs} features, or
     * null if they can: a missing vector, another length, a value that is not finite.
     */
    public static String refusal(double[] features, int inputs) {
        if (features == null) {
            return "features are missing";
        }
        if (features.length != inputs) {
            return "vector of "
                    + features.length
                    + " features, expected "
                    + inputs
                    + " (the model's inputs)";
        }
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                return "feature " + i + " is " + features[i] + ", expected a finite number";
            }
        }
        return null;
    }

    /** The label {@link #predict} would give and the probability of {@code actual}, no more. */
    public TestedVector test(double[] features, String actual) {
        requireReadable(features);
        if (labels.isEmpty()) {
            return new TestedVector(null, 0);
        }
        double[] p = MlpClassifierKernel.softmax(kernel.forward(features, hidden), labels.size());
        int slot = labels.indexOf(actual);
        return new TestedVector(labels.get(argMax(p)), slot < 0 ? 0 : p[slot]);
    }

    /**
     * Scores {@code features} and explains the prediction.
     *
     * @throws IllegalArgumentException if {@link #refusal} names a reason
     */
    public VectorPrediction predict(double[] features) {
        requireReadable(features);
        if (labels.isEmpty()) {
            return new VectorPrediction(null, Map.of(), new double[features.length]);
        }
        double[] logits = kernel.forward(features, hidden);
        double[] p = MlpClassifierKernel.softmax(logits, labels.size());
        int best = argMax(p);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(labels.get(c), p[c]);
        }
        double[] unit = new double[logits.length];
        unit[best] = 1;
        double[] gradient = kernel.backward(features, hidden, unit, null);
        double[] contributions = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            contributions[i] = gradient[i] * features[i];
        }
        return new VectorPrediction(
                labels.get(best), Collections.unmodifiableMap(probabilities), contributions);
    }

    private void requireReadable(double[] features) {
        String refusal = refusal(features, kernel.inputs());
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
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
