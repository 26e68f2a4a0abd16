package dev.streamlearn.scorer.gate;

import dev.streamlearn.schemas.avro.GateEvent;

/**
 * How the promotion gate scores one family's versions and its naive baseline on a labelled event,
 * with the kernels the scorer builds from verified weights (never a version's own metrics).
 */
interface Shadow {
    /** The family's naive baseline, as decisions name it (e.g. "majority class"). */
    String baseline();

    /**
     * The per-event loss of each of {@code versions} of {@code model} on {@code event}, in that
     * order, then the baseline's loss on it (one more value than versions); NaN for a version given
     * as 0 or one that cannot be scored (its weights gone). Null when the event is no evidence
     * (unreadable, unlabelled, or a series whose window is not full yet).
     */
    double[] losses(String model, GateEvent event, long[] versions);
}
