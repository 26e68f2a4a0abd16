package dev.streamlearn.models.version;

import dev.streamlearn.models.kernel.ModelWeights;
import java.util.Objects;

/**
 * The full parameters of one version, as a publisher or a reader holds them: what a delta version
 * of it is built from and applied to ({@link VersionContract#buildDelta}, {@link
 * VersionContract#verify(dev.streamlearn.schemas.avro.ModelVersion, VersionTrust,
 * java.util.Optional)}).
 *
 * @param version the version's number
 * @param weights its full weights
 * @param sha256Hex the SHA-256 of its parameters, its {@code weightsSha256}
 */
public record HeldWeights(long version, ModelWeights weights, String sha256Hex) {
    public HeldWeights {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
    }

    /** The full weights of a verified version. */
    public static HeldWeights of(VerifiedVersion version) {
        return new HeldWeights(
                version.version(), version.weights(), version.record().getWeightsSha256());
    }
}
