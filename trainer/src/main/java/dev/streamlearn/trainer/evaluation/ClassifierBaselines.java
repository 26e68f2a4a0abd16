package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.mlp.OnlineLogisticRegression;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import java.util.Map;

/**
 * The two baselines a classifier's prequential evaluation runs alongside it on the same feature
 * vectors, each tested and then trained: an online linear model ({@link OnlineLogisticRegression}),
 * which shows what a network's hidden layers add, and the majority class so far.
 */
final class ClassifierBaselines {
    private final OnlineLogisticRegression logistic;
    private final double linearLearningRate;
    private final MajorityClassBaseline majority = new MajorityClassBaseline();
    private final ClassifierRecord linear;
    private final ClassifierRecord majorityRecord;

    /**
     * For vectors of {@code inputs} values; the linear model's SGD step is {@code
     * linearLearningRate}.
     */
    ClassifierBaselines(int inputs, double linearLearningRate, int window) {
        this.logistic = new OnlineLogisticRegression(inputs, linearLearningRate);
        this.linearLearningRate = linearLearningRate;
        this.linear = new ClassifierRecord(window);
        this.majorityRecord = new ClassifierRecord(window);
    }

    /** Tests both baselines on one labelled vector, then trains them on it. */
    void testThenTrain(double[] x, String label) {
        Map<String, Double> p = logistic.probabilities(x);
        String linearPredicted = logistic.predict(x);
        linear.add(linearPredicted, label, p.getOrDefault(label, 0.0));
        logistic.learn(x, label);
        majorityRecord.add(majority.predict(), label, majority.probabilityOf(label));
        majority.learn(label);
    }

    ClassifierRecord linear() {
        return linear;
    }

    ClassifierRecord majority() {
        return majorityRecord;
    }

    /** Puts {@code baseline} (the linear model), {@code baselineName} and {@code majority}. */
    void report(Map<String, Object> r) {
        r.put("baseline", linear.toMap());
        r.put("baselineName", "online logistic regression (SGD " + linearLearningRate + ")");
        r.put("majority", majorityRecord.toMap());
    }
}
