package dev.streamlearn.scorer.gate;

import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.scorer.ModelVersions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Text-classifier versions with known skill, for the gate's specs: each reads the word "prize" as
 * spam and "meeting" as ham with a given confidence (negative: the other way round, as weights from
 * label-flipped training would), plus a little noise of its own. Test fixture.
 */
final class GateVersions {
    static final String MODEL = "text-classifier";

    private GateVersions() {}

    /**
     * @param prize how strongly "prize" reads as spam (logit difference; negative: as ham)
     * @param meeting how strongly "meeting" reads as ham (negative: as spam)
     */
    static ModelVersion text(long version, double prize, double meeting) {
        ParameterLayout layout = ParameterLayout.of(ModelVersions.TEXT_SPEC);
        float[] params = new float[layout.size()];
        Random noise = new Random(version);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (noise.nextGaussian() * 0.01);
        }
        HashingTokenizer tokens = new HashingTokenizer(ModelVersions.TEXT_SPEC);
        ParameterBlock embedding = layout.block("0_W");
        ParameterBlock head = layout.block("2_W");
        int dim = embedding.cols();
        // Dimension 0 carries "prize", dimension 1 "meeting"; slot 0 is ham, slot 1 spam.
        params[embedding.offset() + tokens.id("prize") * dim] = 1;
        params[embedding.offset() + tokens.id("meeting") * dim + 1] = 1;
        params[head.offset() + 1] = (float) prize; // d 0 -> spam
        params[head.offset() + head.cols()] = (float) meeting; // d 1 -> ham
        return VersionContract.build(
                new ModelWeights(ModelVersions.TEXT_SPEC, params),
                new Provenance(
                        MODEL,
                        version,
                        version - 1,
                        version * 100,
                        Map.of("accuracy", 1.0),
                        List.of(),
                        Instant.parse("2026-12-05T01:00:00Z").plusSeconds(version)));
    }

    /** Reads both words right, with confidence {@code strength}. */
    static ModelVersion good(long version, double strength) {
        return text(version, strength, strength);
    }

    /** Reads both words wrong: weights as label-flipped training leaves them. */
    static ModelVersion flipped(long version) {
        return text(version, -4, -4);
    }
}
