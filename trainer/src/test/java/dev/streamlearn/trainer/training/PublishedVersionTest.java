package dev.streamlearn.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, signed versions: a signing trainer started without state continues from the weights of
 * its own newest version only, never from weights someone else wrote to {@code model-versions}
 * (which it would otherwise train on and sign); the number counts either way.
 */
class PublishedVersionTest {
    private static final ModelSpec SPEC =
            LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, 2);
    private static final SigningKey OWN = SigningKey.generate();

    private static ModelVersion published(SigningKey key) {
        float[] params = new float[ParameterLayout.of(SPEC).size()];
        Arrays.fill(params, 0.5f);
        ModelWeights weights = new ModelWeights(SPEC, params);
        Provenance provenance =
                new Provenance("lstm-forecaster", 7, 6, 70, Map.of(), List.of(), Instant.EPOCH);
        return key == null
                ? VersionContract.build(weights, provenance)
                : VersionContract.build(weights, provenance, key);
    }

    @Test
    void aSigningTrainerContinuesOnlyFromItsOwnVersions() {
        TrainingOptions signing = TrainingOptions.defaults().withSigningKey(OWN);

        PublishedVersion own = new PublishedVersion(published(OWN), signing.ownVersions());
        PublishedVersion foreign =
                new PublishedVersion(published(SigningKey.generate()), signing.ownVersions());
        PublishedVersion unsigned = new PublishedVersion(published(null), signing.ownVersions());

        assertThat(own.startingWeights(SPEC)).isPresent();
        assertThat(foreign.startingWeights(SPEC)).isEmpty();
        assertThat(unsigned.startingWeights(SPEC)).isEmpty();
        assertThat(foreign.version()).isEqualTo(7);
    }

    @Test
    void aTrainerWithoutAKeyContinuesFromUnsignedVersionsAsBefore() {
        TrainingOptions unsignedTrainer = TrainingOptions.defaults();

        assertThat(
                        new PublishedVersion(published(null), unsignedTrainer.ownVersions())
                                .startingWeights(SPEC))
                .isPresent();
    }
}
