package dev.streamlearn.models.family.mlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The online linear baseline of {@code mlp-classifier}: multinomial logistic regression on the raw
 * features, one plain SGD step per example (test-then-train as the MLP is), labels taking classes
 * in the order they first appear. What a vector stream shows a network is worth over a line: on XOR
 * it cannot beat chance by much, since no weighted sum of the two coordinates separates the
 * classes. Not thread-safe.
 */
public final class OnlineLogisticRegression {
    private final int inputs;
    private final double learningRate;
    private final List<String> labels = new ArrayList<>();
    private final List<double[]> weights = new ArrayList<>(); // per class: inputs, then the bias

    /**
     * @param learningRate the SGD step size
     */
    public OnlineLogisticRegression(int inputs, double learningRate) {
        this.inputs = inputs;
        this.learningRate = learningRate;
    }

    /**
     * The label it predicts for {@code x} (null before any label) and every class's probability.
     */
    public Map<String, Double> probabilities(double[] x) {
        double[] p = softmax(x);
        Map<String, Double> byLabel = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            byLabel.put(labels.get(c), p[c]);
        }
        return byLabel;
    }

    /** The most probable label for {@code x}; null before any label is known. */
    public String predict(double[] x) {
        double[] p = softmax(x);
        int best = -1;
        for (int c = 0; c < p.length; c++) {
            if (best < 0 || p[c] > p[best]) {
                best = c;
            }
        }
        return best < 0 ? null : labels.get(best);
    }

    /** One SGD step of the cross-entropy of {@code label} at {@code x}. */
    public void learn(double[] x, String label) {
        if (!labels.contains(label)) {
            labels.add(label);
            weights.add(new double[inputs + 1]);
        }
        double[] p = softmax(x);
        int actual = labels.indexOf(label);
        for (int c = 0; c < p.length; c++) {
            double g = p[c] - (c == actual ? 1 : 0);
            double[] w = weights.get(c);
            for (int i = 0; i < inputs; i++) {
                w[i] -= learningRate * g * x[i];
            }
            w[inputs] -= learningRate * g;
        }
    }

    private double[] softmax(double[] x) {
        double[] logits = new double[labels.size()];
        for (int c = 0; c < logits.length; c++) {
            double[] w = weights.get(c);
            double z = w[inputs];
            for (int i = 0; i < inputs; i++) {
                z += w[i] * x[i];
            }
            logits[c] = z;
        }
        return MlpClassifierKernel.softmax(logits, logits.length);
    }
}
