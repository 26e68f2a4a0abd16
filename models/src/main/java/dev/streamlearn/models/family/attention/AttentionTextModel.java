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
    private final int maxTokens;

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
        this.maxTokens = weights.spec().get(AttentionTextSpec.MAX_TOKENS);
    }

    private static HashingTokenizer tokenizer(ModelWeights weights) {
        return new HashingTokenizer(
                weights.spec().get(AttentionTextSpec.VOCAB_SIZE),
                TokenSelection.READ_LIMIT,
                weights.spec().get(AttentionTextSpec.EDGE_TOKENS) == 1);
    }

    public ModelWeights weights() {
        return weights;
    }

    public List<String> labels() {
        return labels;
    }

    /**
     * The text classifier's tokenizer reading up to {@link TokenSelection#READ_LIMIT} words, so
     * that {@link TokenSelection} can keep a long text's tail.
     */
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
        int[] ids = TokenSelection.ids(text, TokenSelection.positions(text, maxTokens));
        double[] p = AttentionTextKernel.softmax(kernel.forward(ids, pass), labels.size());
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
        int[] positions = TokenSelection.positions(text, maxTokens);
        double[] p =
                AttentionTextKernel.softmax(
                        kernel.forward(TokenSelection.ids(text, positions), pass), labels.size());
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(labels.get(c), p[c]);
        }
        double[] share = kernel.attentionToTokens(pass);
        int[] index = text.distinctIndex();
        int[] first = text.firstPositions();
        // Distinct tokens of the kept positions, in order of first appearance among them.
        int[] order = new int[text.distinctCount()];
        java.util.Arrays.fill(order, -1);
        double[] sums = new double[positions.length];
        int[] counts = new int[positions.length];
        int[] firstKept = new int[positions.length];
        int distinct = 0;
        for (int t = 0; t < positions.length; t++) {
            int g = index[positions[t]];
            if (order[g] < 0) {
                order[g] = distinct;
                firstKept[distinct++] = first[g];
            }
            sums[order[g]] += share[t];
            counts[order[g]]++;
        }
        List<TokenAttention> attention = new ArrayList<>(distinct);
        for (int g = 0; g < distinct; g++) {
            attention.add(new TokenAttention(text.token(firstKept[g]), counts[g], sums[g]));
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
