package dev.streamlearn.trainer.learning;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a learner needs to continue bitwise-identically: spec (with the labels learned so
 * far), the flattened DL4J parameters and Adam's state (its moment estimates), the iteration and
 * epoch counters (Adam's bias correction depends on them), and the partly filled mini-batch.
 *
 * @param kind the model kind id
 * @param spec the spec's string form
 * @param params {@code net.params()} as floats
 * @param updaterState {@code getUpdater().getStateViewArray()} as floats (empty before the first
 *     fit)
 * @param iterationCount DL4J's iteration counter
 * @param epochCount DL4J's epoch counter
 * @param pending the examples waiting for the next mini-batch
 * @param examplesSeen examples accepted so far
 */
public record LearnerSnapshot(
        String kind,
        Map<String, String> spec,
        float[] params,
        float[] updaterState,
        int iterationCount,
        int epochCount,
        List<? extends Serializable> pending,
        long examplesSeen)
        implements Serializable {

    /**
     * This snapshot with the hyper-parameter {@code name} set to {@code value} where its spec does
     * not name it: a snapshot taken before the parameter existed keeps the meaning it had then.
     */
    public LearnerSnapshot withSpecDefault(String name, String value) {
        if (spec.containsKey(name)) {
            return this;
        }
        Map<String, String> named = new LinkedHashMap<>(spec);
        named.put(name, value);
        return new LearnerSnapshot(
                kind,
                named,
                params,
                updaterState,
                iterationCount,
                epochCount,
                pending,
                examplesSeen);
    }
}
