package dev.streamlearn.models.kernel;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the text classifier says about one text.
 *
 * @param label the most probable known label, or {@code null} while no label is known
 * @param probabilities probability of each known label, in slot order (softmax restricted to the
 *     slots that have a label: slots not yet assigned take no probability)
 * @param contributions per distinct token, in order of first appearance, its exact contribution to
 *     {@code label}'s logit; empty while no label is known
 * @param bias the output bias of {@code label}: {@code logit = bias + sum(contributions)}
 * @param logit the logit of {@code label}
 */
public record TextPrediction(
        String label,
        Map<String, Double> probabilities,
        List<TokenContribution> contributions,
        double bias,
        double logit) {

    /** Probability of {@code label}; 0 for a label the model has not learned. */
    public double probabilityOf(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }

    /** The {@code k} contributions of largest magnitude, largest first: the explanation to show. */
    public List<TokenContribution> strongest(int k) {
        return contributions.stream()
                .sorted(
                        Comparator.comparingDouble(
                                (TokenContribution c) -> -Math.abs(c.contribution())))
                .limit(k)
                .toList();
    }
}
