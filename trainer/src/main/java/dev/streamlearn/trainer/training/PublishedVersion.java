package dev.streamlearn.trainer.training;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.io.Serializable;
import java.util.Optional;

/**
 * A model's newest version on {@code model-versions}, as it was read there (an Avro record, which
 * Java serialization carries inside the job graph).
 *
 * <p>A job that starts with no saved state for a model (a first start, or a lost checkpoint
 * directory) numbers its versions after this one, or the scorer would refuse them all as "not above
 * the highest", and starts learning from these weights rather than from random ones, which the
 * scorer would otherwise swap in for a trained model: only if they verify against {@code trust}
 * (the trainer's own key, {@code TrainingOptions#ownVersions}).
 *
 * <p>When the newest version is a delta, {@code parentWeights} are the full weights of the version
 * it changes ({@code deltaOf}), encoded by {@link WeightsCodec} and rebuilt by whoever read the
 * topic from the full version before it; the delta's own signature covers the hash of the
 * parameters it was made from, so they are checked again when the weights are used. Null when the
 * newest version is full or its parent could not be rebuilt.
 */
public record PublishedVersion(ModelVersion record, VersionTrust trust, byte[] parentWeights)
        implements Serializable {
    /** The newest version, full or one whose parent is unknown. */
    public PublishedVersion(ModelVersion record, VersionTrust trust) {
        this(record, trust, null);
    }

    /** A version whose weights may be continued from when it verifies, signed or not. */
    public PublishedVersion(ModelVersion record) {
        this(record, VersionTrust.unsignedOnly());
    }

    /** The version number; it counts even when the version itself does not verify. */
    public long version() {
        return record.getVersion();
    }

    /**
     * The weights to start a learner of {@code configured} from: the published parameters under the
     * configured hyper-parameters (with the published label list, for a text classifier), or empty
     * when the shapes differ (the configured model changed size since it published) or the
     * published version does not verify against {@link #trust} ({@link VersionContract#verify}).
     */
    public Optional<ModelWeights> startingWeights(ModelSpec configured) {
        ModelWeights published;
        try {
            published = VersionContract.verify(record, trust, parent()).weights();
        } catch (InvalidVersionException unusable) {
            return Optional.empty(); // the scorer refused it too; only its number counts
        }
        if (published.spec().kind() != configured.kind()) {
            return Optional.empty();
        }
        ModelSpec spec = configured.kind().continuing(configured, published.spec());
        if (!ParameterLayout.of(spec)
                .blocks()
                .equals(ParameterLayout.of(published.spec()).blocks())) {
            return Optional.empty();
        }
        return Optional.of(new ModelWeights(spec, published.params()));
    }

    private Optional<HeldWeights> parent() {
        if (parentWeights == null || record.getDeltaOf() == null) {
            return Optional.empty();
        }
        try {
            WeightsCodec.Decoded parent = WeightsCodec.decodeVerified(parentWeights);
            return Optional.of(
                    new HeldWeights(record.getDeltaOf(), parent.weights(), parent.sha256Hex()));
        } catch (WeightsFormatException unusable) {
            return Optional.empty();
        }
    }
}
