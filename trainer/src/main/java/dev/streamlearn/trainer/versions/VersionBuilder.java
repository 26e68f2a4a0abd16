package dev.streamlearn.trainer.versions;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;

/**
 * Builds the {@link ModelVersion} records one model publishes, in order: every publisher of a
 * model's versions (the learner operator, a combiner of data-parallel learners) goes through one
 * instance per model, so that how a version is encoded and signed is decided in one place.
 *
 * <p>A version is a delta of the one built before it (only the parameter rows that changed, {@link
 * VersionContract#buildDelta}) unless it must be full: the first one this builder makes (after any
 * start or restore of its publisher, since the builder is not checkpointed), one of a new shape or
 * spec (e.g. label slots that grew), one whose parent is not the version built before, one due by
 * the {@link DeltaPolicy}, and one whose delta would be no smaller than its full weights. The
 * builder keeps the full weights of the last version it built for this.
 *
 * <p>Not thread-safe.
 */
public final class VersionBuilder {
    private final SigningKey key;
    private final DeltaPolicy policy;
    private HeldWeights parent;
    private int deltasSinceFull;
    private long deltaBytesSinceFull;

    /**
     * A builder of the {@linkplain DeltaPolicy#defaults() default} policy.
     *
     * @param key the key every version is signed with, or null to publish unsigned versions
     */
    public VersionBuilder(SigningKey key) {
        this(key, DeltaPolicy.defaults());
    }

    /**
     * @param key the key every version is signed with, or null to publish unsigned versions
     * @param policy when a version is full rather than a delta
     */
    public VersionBuilder(SigningKey key, DeltaPolicy policy) {
        this.key = key;
        this.policy = policy;
    }

    /** The record to publish for {@code weights}, the model's next version after the last one. */
    public ModelVersion next(ModelWeights weights, Provenance provenance) {
        if (deltaPossible(weights, provenance)) {
            ModelVersion delta = VersionContract.buildDelta(weights, provenance, parent, key);
            int bytes = delta.getWeights().remaining();
            if (bytes < 4L * weights.params().length) {
                deltasSinceFull++;
                deltaBytesSinceFull += bytes;
                parent = new HeldWeights(provenance.version(), weights, delta.getWeightsSha256());
                return delta;
            }
        }
        ModelVersion full =
                key == null
                        ? VersionContract.build(weights, provenance)
                        : VersionContract.build(weights, provenance, key);
        deltasSinceFull = 0;
        deltaBytesSinceFull = 0;
        parent = new HeldWeights(provenance.version(), weights, full.getWeightsSha256());
        return full;
    }

    /** Forgets the last version built: the next one is full. */
    public void reset() {
        parent = null;
    }

    private boolean deltaPossible(ModelWeights weights, Provenance provenance) {
        return parent != null
                && parent.version() == provenance.parentVersion()
                && parent.weights().spec().equals(weights.spec())
                && deltasSinceFull + 1 < policy.fullEveryVersions()
                && deltaBytesSinceFull < policy.fullEveryBytes();
    }
}
