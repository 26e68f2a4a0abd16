package dev.streamlearn.trainer.training;

import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import java.time.Instant;
import java.util.Locale;

/**
 * A detected drift as a {@code model-events} record ({@link GateDecision#DRIFT}), beside the
 * promotion gate's decisions: the registry and the dashboard only remember it.
 */
public final class DriftEvents {
    private DriftEvents() {}

    /**
     * @param version the newest version the model published before the drift (0 before any): the
     *     weights whose live loss rose
     */
    public static ModelEvent of(
            String model, long version, DriftWatch.Detection drift, Instant at) {
        return ModelEvent.newBuilder()
                .setModel(model)
                .setVersion(version)
                .setDecision(GateDecision.DRIFT)
                .setEvents(drift.sinceChange())
                .setDifferenceBound(drift.statistic())
                .setReason(
                        String.format(
                                Locale.ROOT,
                                "drift: ADWIN on the trainer's live loss found it %.3f higher"
                                        + " over the last %d examples than before, at example"
                                        + " %d; action: %s",
                                drift.statistic(),
                                drift.sinceChange(),
                                drift.example(),
                                drift.action()))
                .setAt(at)
                .build();
    }
}
