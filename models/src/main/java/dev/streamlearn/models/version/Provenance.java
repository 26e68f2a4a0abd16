package dev.streamlearn.models.version;

import dev.streamlearn.schemas.avro.SourceOffset;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a version's weights come from: which model and number, the version they were trained on
 * from, how much data and which input offsets they have seen, how they scored while learning, and
 * when they were published. With the weights' checksum this traces any score to exact weights and
 * data.
 *
 * @param model the model name, the key of {@code model-versions}
 * @param version 1, 2, 3, ... per model
 * @param parentVersion the version these weights were trained on from, or 0 for the first
 * @param examplesSeen training examples these weights have learned from
 * @param metrics prequential metrics (and their baselines') at publish time, in their order; an
 *     undefined one (NaN before the first example) is left out rather than published as NaN
 * @param sourceOffsets per input partition, the next offset to read; kept sorted by topic and
 *     partition
 * @param createdAt when the version was published
 */
public record Provenance(
        String model,
        long version,
        long parentVersion,
        long examplesSeen,
        Map<String, Double> metrics,
        List<SourceOffset> sourceOffsets,
        Instant createdAt) {

    public Provenance {
        Objects.requireNonNull(model, "model");
        if (version < 1) {
            throw new IllegalArgumentException(model + ": version must be >= 1, was " + version);
        }
        if (parentVersion < 0 || parentVersion >= version) {
            throw new IllegalArgumentException(
                    model
                            + " version "
                            + version
                            + ": parent version must be 0 (none) or below it, was "
                            + parentVersion);
        }
        metrics = Collections.unmodifiableMap(finite(metrics));
        sourceOffsets =
                sourceOffsets.stream()
                        .sorted(
                                Comparator.comparing(SourceOffset::getTopic)
                                        .thenComparing(SourceOffset::getPartition))
                        .toList();
        Objects.requireNonNull(createdAt, "createdAt");
    }

    private static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach(
                (name, value) -> {
                    if (Double.isFinite(value)) {
                        out.put(name, value);
                    }
                });
        return out;
    }
}
