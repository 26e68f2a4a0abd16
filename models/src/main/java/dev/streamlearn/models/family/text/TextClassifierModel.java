package dev.streamlearn.models.family.text;

import dev.streamlearn.models.kernel.ModelWeights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scoring-ready text classifier: tokenizer + kernel + label names of one set of weights. This is
 * what the scorer holds per model version and what {@code evaluate} scores with. Not thread-safe.
 */
public final class TextClassifierModel {
    private final ModelWeights weights;
    private final HashingTokenizer tokenizer;
    private final TextClassifierKernel kernel;
    private final List<String> labels;

    public TextClassifierModel(ModelWeights weights) {
        if (weights.spec().kind() != TextClassifierFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected text-classifier weights, got " + weights.spec().kind().id());
        }
        this.weights = weights;
        this.tokenizer = new HashingTokenizer(weights.spec());
        this.labels = TextClassifierSpec.labels(weights.spec());
        // Slots without a label take no probability, so they need not be computed at all.
        this.kernel = new TextClassifierKernel(weights, Math.max(1, labels.size()));
    }

    public ModelWeights weights() {
        return weights;
    }

    /**
     * Makes the next predictions use the current values of {@link #weights()}' array, which a
     * learner has changed in place (same spec, same labels).
     */
    public void refresh() {
        kernel.refresh();
    }

    public List<String> labels() {
        return labels;
    }

    public HashingTokenizer tokenizer() {
        return tokenizer;
    }

    public TextPrediction predict(String text) {
        return predict(tokenizer.tokenize(text));
    }

    /**
     * Tests the model on a labelled text: the label {@link #predict} would give and the probability
     * it gives {@code actual} (0 for a label it does not know), the same numbers, without the
     * token-by-token explanation {@code predict} adds (which costs about as much again). What
     * test-then-train needs.
     */
    public TestedText test(TokenizedText text, String actual) {
        if (labels.isEmpty()) {
            return new TestedText(null, 0);
        }
        float[] p = TextClassifierKernel.softmax(kernel.logits(text.ids()), labels.size());
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        int slot = labels.indexOf(actual);
        return new TestedText(labels.get(best), slot < 0 ? 0 : p[slot]);
    }

    public TextPrediction predict(TokenizedText text) {
        if (labels.isEmpty()) {
            return new TextPrediction(null, Map.of(), 0, 0);
        }
        float[] logits = kernel.logits(text.ids());
        float[] p = TextClassifierKernel.softmax(logits, labels.size());
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(labels.get(c), (double) p[c]);
        }
        // Every occurrence of a token has the same id and so the same contribution.
        int[] ids = text.ids();
        int[] firstPosition = text.firstPositions();
        int[] counts = text.occurrences();
        double[] sums = new double[firstPosition.length];
        for (int g = 0; g < sums.length; g++) {
            sums[g] = counts[g] * kernel.contribution(ids[firstPosition[g]], best, ids.length);
        }
        return new TextPrediction(
                labels.get(best),
                Collections.unmodifiableMap(probabilities),
                kernel.bias(best),
                logits[best],
                text,
                firstPosition,
                counts,
                sums);
    }
}
