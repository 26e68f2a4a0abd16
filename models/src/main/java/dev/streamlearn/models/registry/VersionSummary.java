package dev.streamlearn.models.registry;

import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.Map;

/**
 * What the registry remembers of a held version for people and tools: everything of its {@code
 * ModelVersion} record but the weights.
 *
 * @param parentVersion the version it was trained on from, 0 for none
 */
public record VersionSummary(
        long version,
        long parentVersion,
        String kind,
        Instant createdAt,
        long examplesSeen,
        String weightsSha256,
        Map<String, Double> metrics) {

    public static VersionSummary of(ModelVersion record) {
        return new VersionSummary(
                record.getVersion(),
                record.getParentVersion() == null ? 0 : record.getParentVersion(),
                record.getKind(),
                record.getCreatedAt(),
                record.getExamplesSeen(),
                record.getWeightsSha256(),
                Map.copyOf(record.getMetrics()));
    }
}
