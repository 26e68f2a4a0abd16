package dev.streamlearn.scorer.registry;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.codec.WeightsFormatException;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.schemas.avro.ModelVersion;

/**
 * Decides whether a published version may serve: its weights must decode (the codec checks
 * checksum, shape against the spec and that every value is finite), match the checksum and kind the
 * record announces, and its number must be higher than any accepted before for that model. A
 * corrupt or stale version is refused with the reason, and the version already serving goes on.
 */
public final class VersionGate {
    private VersionGate() {}

    /** The verdict on one version: the decoded weights, or why not. */
    public record Verdict(ModelWeights weights, String rejection) {
        public boolean accepted() {
            return rejection == null;
        }
    }

    /**
     * @param highestAccepted the highest version accepted so far for this model, 0 if none
     */
    public static Verdict check(ModelVersion version, long highestAccepted) {
        String name = version.getModel() + " version " + version.getVersion();
        if (version.getVersion() <= highestAccepted) {
            return rejected(
                    name
                            + " is not above the highest accepted version "
                            + highestAccepted
                            + " (versions only go up)");
        }
        ModelWeights weights;
        try {
            weights = WeightsCodec.decode(copyOf(version.getWeights()));
        } catch (WeightsFormatException e) {
            return rejected(name + ": " + e.getMessage());
        }
        if (!weights.spec().kind().id().equals(version.getKind())) {
            return rejected(
                    name
                            + " announces kind "
                            + version.getKind()
                            + " but its weights are "
                            + weights.spec().kind().id());
        }
        String sha = WeightsCodec.sha256Hex(weights.params());
        if (!sha.equals(version.getWeightsSha256())) {
            return rejected(
                    name
                            + " announces weightsSha256 "
                            + version.getWeightsSha256()
                            + " but its parameters hash to "
                            + sha);
        }
        return new Verdict(weights, null);
    }

    private static Verdict rejected(String reason) {
        return new Verdict(null, reason);
    }
}
