package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;

/**
 * How the combiner builds a version: always a full one (weights whole), since the learners rebase
 * on the weights they read back.
 */
final class Versions {
    private Versions() {}

    /** A version of {@code weights}, signed with {@code key} unless it is null. */
    static ModelVersion build(ModelWeights weights, Provenance provenance, SigningKey key) {
        return key == null
                ? VersionContract.build(weights, provenance)
                : VersionContract.build(weights, provenance, key);
    }
}
