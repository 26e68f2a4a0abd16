package dev.streamlearn.trainer.learning;

import java.io.Serializable;
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
        implements Serializable {}
