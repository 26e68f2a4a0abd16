package dev.streamlearn.trainer.versions;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;

/**
 * Builds the {@link ModelVersion} records one model publishes, in order: every publisher of a
 * model's versions (the learner operator, a combiner of data-parallel learners) goes through one
 * instance per model, so that how a version is encoded and signed is decided in one place.
 *
 * <p>Not thread-safe and not checkpointed: a publisher creates one when it starts or is restored.
 */
public final class VersionBuilder {
    private final SigningKey key;

    /**
     * @param key the key every version is signed with, or null to publish unsigned versions
     */
    public VersionBuilder(SigningKey key) {
        this.key = key;
    }

    /** The record to publish for {@code weights}, the model's next version after the last one. */
    public ModelVersion next(ModelWeights weights, Provenance provenance) {
        return key == null
                ? VersionContract.build(weights, provenance)
                : VersionContract.build(weights, provenance, key);
    }
}
