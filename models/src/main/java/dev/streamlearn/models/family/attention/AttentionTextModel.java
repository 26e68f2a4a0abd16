package dev.streamlearn.models.family.attention;

import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scoring-ready {@code attention-text-classifier}: the text classifier's tokenizer ({@link
 * HashingTokenizer}, same hashing, so both models read a text as the same ids), the kernel and the
 * label names of one set of weights. What the scorer holds per model version, what {@code evaluate}
 * and the trainer's test-then-train score with. Probabilities are over the known labels only. Not
 * thread-safe.
 */
public final class AttentionTextModel {
    private final ModelWeights weights;
    private final HashingTokenizer tokenizer;
    private final AttentionTextKernel kernel;
    private final AttentionTextKernel.Pass pass;
    private final List<String> labels;

    public AttentionTextModel(ModelWeights weights) {
        if (weights.spec().kind() != AttentionTextFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected attention-text-classifier weights, got "
                            + weights.spec().kind().id());
        }
        this.weights = weights;
        this.tokenizer = tokenizer(weights);
        this.kernel = new AttentionTextKernel(weights);
        this.pass = kernel.newPass();
        this.labels = AttentionTextSpec.labels(weights.spec());
    }

    private static HashingTokenizer tokenizer(ModelWeights weights) {
        return new HashingTokenizer(
                weights.spec().get(AttentionTextSpec.VOCAB_SIZE),
                weights.spec().get(AttentionTextSpec.MAX_TOKENS),
                weights.spec().get(AttentionTextSpec.EDGE_TOKENS) == 1);
    }

    public ModelWeights weights() {
        return weights;
    }

    public List<String> labels() {
        return labels;
    }

    public HashingTokenizer tokenizer() {
        return tokenizer;
    }

    public AttentionTextKernel kernel() {
        return kernel;
    }

    /** The label {@link #predict} would give and the probability of {@code actual}, no more. */
    public TestedText test(TokenizedText text, String actual) {
        if (labels.isEmpty()) {
            return new TestedText(null, 0);
        }
        double[] p = AttentionTextKernel.softmax(kernel.forward(text.ids(), pass), labels.size());
        int slot = labels.indexOf(actual);
        return new TestedText(labels.get(argMax(p)), slot < 0 ? 0 : p[slot]);
    }

    public AttentionPrediction predict(String text) {
        return predict(tokenizer.tokenize(text));
    }

    public AttentionPrediction predict(TokenizedText text) {
        if (labels.isEmpty()) {
            return new AttentionPrediction(null, Map.of(), List.of());
        }
        double[] p = AttentionTextKernel.softmax(kernel.forward(text.ids(), pass), labels.size());
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(labels.get(c), p[c]);
        }
        double[] share = kernel.attentionToTokens(pass);
        int[] index = text.distinctIndex();
        double[] sums = new double[text.distinctCount()];
        for (int t = 0; t < share.length; t++) {
            sums[index[t]] += share[t];
        }
        int[] first = text.firstPositions();
        int[] counts = text.occurrences();
        List<TokenAttention> attention = new ArrayList<>(sums.length);
        for (int g = 0; g < sums.length; g++) {
            attention.add(new TokenAttention(text.token(first[g]), counts[g], sums[g]));
        }
        return new AttentionPrediction(
                labels.get(argMax(p)),
                Collections.unmodifiableMap(probabilities),
                List.copyOf(attention));
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
