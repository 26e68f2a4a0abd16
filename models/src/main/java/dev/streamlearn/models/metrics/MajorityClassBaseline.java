package dev.streamlearn.models.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The majority-class-so-far baseline: predicts the most frequent label seen so far (ties: the one
 * seen first), with Laplace-smoothed frequencies over the labels seen so far as probabilities.
 */
public final class MajorityClassBaseline {
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long total;

    /** The majority label so far, or null before the first. */
    public String predict() {
        String best = null;
        long bestCount = -1;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    /** Laplace-smoothed frequency of {@code label}; 0 for a label not seen yet. */
    public double probabilityOf(String label) {
        Long n = counts.get(label);
        return n == null ? 0 : (n + 1.0) / (total + counts.size());
    }

    public void learn(String label) {
        counts.merge(label, 1L, Long::sum);
        total++;
    }
}
