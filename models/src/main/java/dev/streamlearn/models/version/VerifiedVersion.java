package dev.streamlearn.models.version;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.avro.ModelVersion;

/**
 * A version that passed {@link VersionContract#verify}: the record exactly as received (its weights
 * bytes are the ones accepted, never re-encoded) and its weights, ready to score.
 */
public record VerifiedVersion(ModelVersion record, ModelWeights weights) {
    public String model() {
        return record.getModel();
    }

    public long version() {
        return record.getVersion();
    }
}
