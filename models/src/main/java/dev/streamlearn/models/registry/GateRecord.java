package dev.streamlearn.models.registry;

import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import java.time.Instant;

/**
 * One decision of the promotion gate as the registry remembers it for people and tools: a {@code
 * model-events} record without the model name.
 *
 * @param against the version compared with, 0 for none
 * @param events the labelled events both versions were scored on
 */
public record GateRecord(
        long version,
        GateDecision decision,
        long against,
        long events,
        Double candidateLoss,
        Double againstLoss,
        String reason,
        Instant at) {

    public static GateRecord of(ModelEvent event) {
        return new GateRecord(
                event.getVersion(),
                event.getDecision(),
                event.getAgainst(),
                event.getEvents(),
                event.getCandidateLoss(),
                event.getAgainstLoss(),
                event.getReason(),
                event.getAt());
    }
}
