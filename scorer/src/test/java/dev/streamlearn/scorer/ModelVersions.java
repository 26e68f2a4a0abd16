package dev.streamlearn.scorer;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Published versions with small random weights, as the trainer would write them. Test fixture. */
public final class ModelVersions {
    public static final ModelSpec TEXT_SPEC =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 256)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                    .with(TextClassifierSpec.LABELS, "ham,spam");
    public static final ModelSpec SERIES_SPEC =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 4)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 3);

    private ModelVersions() {}

    public static ModelVersion text(long version) {
        return of("text-classifier", TEXT_SPEC, version);
    }

    public static ModelVersion series(long version) {
        return of("lstm-forecaster", SERIES_SPEC, version);
    }

    /** A text-classifier version signed by {@code key}, as a trainer with that key writes it. */
    public static ModelVersion text(long version, SigningKey key) {
        return VersionContract.build(
                weights("text-classifier", TEXT_SPEC, version),
                provenance("text-classifier", version),
                key);
    }

    /**
     * {@link #text(long)}'s weights of {@code version} as a delta on those of {@code version - 1},
     * as a trainer publishes its light versions.
     */
    public static ModelVersion textDelta(long version) {
        ModelWeights parent = weights("text-classifier", TEXT_SPEC, version - 1);
        return VersionContract.buildDelta(
                weights("text-classifier", TEXT_SPEC, version),
                provenance("text-classifier", version),
                new HeldWeights(version - 1, parent, WeightsCodec.sha256Hex(parent.params())),
                null);
    }

    /** A version whose weights bytes were damaged in transit (one byte flipped). */
    public static ModelVersion corrupted(ModelVersion version) {
        byte[] weights = version.getWeights().array().clone();
        weights[weights.length / 2] ^= 0x40;
        ModelVersion copy =
                ModelVersion.newBuilder(version).setWeights(ByteBuffer.wrap(weights)).build();
        return copy;
    }

    static ModelVersion of(String model, ModelSpec spec, long version) {
        return VersionContract.build(weights(model, spec, version), provenance(model, version));
    }

    private static ModelWeights weights(String model, ModelSpec spec, long version) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(version * 31 + model.hashCode());
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.2);
        }
        return new ModelWeights(spec, params);
    }

    private static Provenance provenance(String model, long version) {
        return new Provenance(
                model,
                version,
                version - 1,
                version * 8,
                Map.of(),
                List.of(),
                Instant.parse("2026-11-28T12:00:00Z").plusSeconds(version));
    }
}
