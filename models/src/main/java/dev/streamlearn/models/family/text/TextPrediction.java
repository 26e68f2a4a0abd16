package dev.streamlearn.models.family.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the text classifier says about one text: the most probable known label (or {@code null}
 * while no label is known), the probability of each known label in slot order (softmax restricted
 * to the slots that have a label: slots not yet assigned take no probability), and each distinct
 * token's exact contribution to that label's logit ({@code logit = bias + sum(contributions)}).
 *
 * <p>Contributions are kept as numbers per distinct token; a token becomes a string only when a
 * contribution is asked for, so {@link #strongest(int)} makes k strings, not one per token.
 */
public final class TextPrediction {
    private final String label;
    private final Map<String, Double> probabilities;
    private final double bias;
    private final double logit;
    private final TokenizedText text;
    private final int[] firstPosition;
    private final int[] counts;
    private final double[] sums;
    private List<TokenContribution> contributions;

    /** A prediction without contributions (no label is known yet). */
    public TextPrediction(
            String label, Map<String, Double> probabilities, double bias, double logit) {
        this(label, probabilities, bias, logit, null, new int[0], new int[0], new double[0]);
    }

    /**
     * @param text the tokens the contributions belong to
     * @param firstPosition per distinct token, in order of first appearance, its first position
     * @param counts per distinct token, its occurrences
     * @param sums per distinct token, its contribution summed over its occurrences
     */
    TextPrediction(
            String label,
            Map<String, Double> probabilities,
            double bias,
            double logit,
            TokenizedText text,
            int[] firstPosition,
            int[] counts,
            double[] sums) {
        this.label = label;
        this.probabilities = probabilities;
        this.bias = bias;
        this.logit = logit;
        this.text = text;
        this.firstPosition = firstPosition;
        this.counts = counts;
        this.sums = sums;
    }

    /** The most probable known label, or {@code null} while no label is known. */
    public String label() {
        return label;
    }

    /** Probability of each known label, in slot order. */
    public Map<String, Double> probabilities() {
        return probabilities;
    }

    /** The output bias of {@link #label()}: the part of its logit no token explains. */
    public double bias() {
        return bias;
    }

    /** The logit of {@link #label()}. */
    public double logit() {
        return logit;
    }

    /** Probability of {@code label}; 0 for a label the model has not learned. */
    public double probabilityOf(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }

    /**
     * Per distinct token, in order of first appearance, its exact contribution to {@link
     * #label()}'s logit; empty while no label is known.
     */
    public List<TokenContribution> contributions() {
        if (contributions == null) {
            List<TokenContribution> all = new ArrayList<>(sums.length);
            for (int g = 0; g < sums.length; g++) {
                all.add(contribution(g));
            }
            contributions = List.copyOf(all);
        }
        return contributions;
    }

    /**
     * The {@code k} contributions of largest magnitude, largest first (ties in order of first
     * appearance): the explanation to show.
     */
    public List<TokenContribution> strongest(int k) {
        int n = Math.min(k, sums.length);
        int[] chosen = new int[n];
        boolean[] taken = new boolean[sums.length];
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int g = 0; g < sums.length; g++) {
                if (!taken[g] && (best < 0 || Math.abs(sums[g]) > Math.abs(sums[best]))) {
                    best = g;
                }
            }
            taken[best] = true;
            chosen[i] = best;
        }
        List<TokenContribution> strongest = new ArrayList<>(n);
        for (int g : chosen) {
            strongest.add(contribution(g));
        }
        return List.copyOf(strongest);
    }

    private TokenContribution contribution(int distinct) {
        return new TokenContribution(
                text.token(firstPosition[distinct]), counts[distinct], sums[distinct]);
    }
}
