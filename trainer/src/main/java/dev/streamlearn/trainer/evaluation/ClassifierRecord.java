package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.metrics.ClassificationMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One classifier's record in a prequential evaluation (Dawid 1984; Gama et al. 2013): all-time and
 * fading accuracy and log loss ({@link ClassificationMetrics}), and its accuracy over the last
 * {@code window} labelled examples, where a stream that can be learned shows what was learned.
 */
final class ClassifierRecord {
    private final ClassificationMetrics metrics = new ClassificationMetrics();
    private final boolean[] ring;
    private int next;
    private int count;
    private int hits;

    ClassifierRecord(int window) {
        this.ring = new boolean[window];
    }

    /** One tested example: the label predicted, the actual one and the probability given to it. */
    void add(String predicted, String label, double probabilityOfActual) {
        metrics.add(predicted, label, probabilityOfActual);
        boolean hit = label.equals(predicted);
        if (count == ring.length) {
            hits -= ring[next] ? 1 : 0;
        } else {
            count++;
        }
        ring[next] = hit;
        hits += hit ? 1 : 0;
        next = (next + 1) % ring.length;
    }

    ClassificationMetrics metrics() {
        return metrics;
    }

    /** Accuracy over the last {@code window} examples; NaN before the first. */
    double recentAccuracy() {
        return count == 0 ? Double.NaN : (double) hits / count;
    }

    /** The metrics' report with {@code recentAccuracy} and {@code recentEvents} added. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(metrics.toMap());
        m.put("recentAccuracy", recentAccuracy());
        m.put("recentEvents", count);
        return m;
    }
}
