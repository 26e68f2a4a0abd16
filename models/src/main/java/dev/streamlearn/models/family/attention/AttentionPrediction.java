package dev.streamlearn.models.family.attention;

import java.util.List;
import java.util.Map;

/**
 * What the attention text classifier says about one text: the most probable known label (null while
 * none is known), the probability of each known label in slot order, and per distinct token, in
 * order of first appearance, the attention the pooled representation pays to it ({@link
 * AttentionTextKernel#attentionToTokens}). Attention says where the block looked, not how much a
 * token moved the logit: unlike the embedding bag's contributions it is no exact share of a logit.
 */
public record AttentionPrediction(
        String label, Map<String, Double> probabilities, List<TokenAttention> attention) {

    /** Probability of {@code label}; 0 for a label the model has not learned. */
    public double probabilityOf(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }

    /** The {@code k} tokens paid the most attention, most first (ties in order of appearance). */
    public List<TokenAttention> strongest(int k) {
        return attention.stream()
                .sorted((a, b) -> Double.compare(b.attention(), a.attention()))
                .limit(k)
                .toList();
    }
}
