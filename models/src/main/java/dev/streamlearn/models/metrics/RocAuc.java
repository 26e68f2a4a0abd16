package dev.streamlearn.models.metrics;

import java.util.Arrays;

/**
 * ROC AUC of scores against binary labels, computed exactly as the Mann–Whitney U statistic with
 * average ranks for ties (Hanley &amp; McNeil 1982). Keeps every pair; meant for evaluation runs.
 */
public final class RocAuc {
    private double[] scores = new double[1024];
    private boolean[] labels = new boolean[1024];
    private int size;

    public void add(double score, boolean positive) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN");
        }
        if (size == scores.length) {
            scores = Arrays.copyOf(scores, size * 2);
            labels = Arrays.copyOf(labels, size * 2);
        }
        scores[size] = score;
        labels[size] = positive;
        size++;
    }

    public int size() {
        return size;
    }

    /** The AUC, or NaN if there are no positives or no negatives. */
    public double auc() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < size) {
            int j = i;
            while (j + 1 < size && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = size - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0)
                / ((double) positives * negatives);
    }
}
