package dev.streamlearn.models.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.InvalidVersionException.Check;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeltaVersionTest {
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final SigningKey TRAINER = SigningKey.generate();
    private static final VersionTrust TRUST = VersionTrust.signedBy(TRAINER.publicKeyId());
    private static final ModelSpec TEXT =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 512)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 4);

    private static ModelWeights weights(float seed, int... rows) {
        float[] params = new float[ParameterLayout.of(TEXT).size()];
        for (int row : rows) {
            params[row * 4] = seed;
        }
        return new ModelWeights(TEXT, params);
    }

    private static Provenance provenance(long version) {
        return new Provenance("text", version, version - 1, 10 * version, Map.of(), List.of(), T0);
    }

    private static HeldWeights held(long version, ModelWeights w) {
        return new HeldWeights(version, w, WeightsCodec.sha256Hex(w.params()));
    }

    @Test
    void aSignedDeltaVerifiesOnItsParentAndGivesTheFullWeights() throws Exception {
        ModelWeights v1 = weights(1, 3);
        ModelWeights v2 = weights(2, 3, 99);

        ModelVersion delta = VersionContract.buildDelta(v2, provenance(2), held(1, v1), TRAINER);
        VerifiedVersion verified = VersionContract.verify(delta, TRUST, Optional.of(held(1, v1)));

        assertThat(delta.getDeltaOf()).isEqualTo(1L);
        assertThat(delta.getWeightsSha256()).isEqualTo(WeightsCodec.sha256Hex(v2.params()));
        assertThat(verified.weights()).isEqualTo(v2);
        assertThat(delta.getWeights().remaining()).isLessThan(WeightsCodec.encode(v2).length / 10);
    }

    @Test
    void aDeltaWithoutItsParentIsRefusedNamingTheParent() {
        ModelWeights v1 = weights(1, 3);
        ModelVersion delta =
                VersionContract.buildDelta(weights(2, 3), provenance(2), held(1, v1), TRAINER);

        assertThatThrownBy(() -> VersionContract.verify(delta, TRUST))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> {
                            assertThat(e.check()).isEqualTo(Check.MISSING_PARENT);
                            assertThat(e.untrusted()).isFalse();
                        })
                .hasMessage(
                        "text version 2 is a delta of version 1, whose full weights this reader"
                                + " does not hold (it holds none of this model); refused until a"
                                + " version with full weights arrives");
        assertThatThrownBy(
                        () ->
                                VersionContract.verify(
                                        delta, TRUST, Optional.of(held(0, weights(0)))))
                .hasMessageContaining("(it holds version 0)");
    }

    @Test
    void aParentOfTheRightNumberButOtherWeightsIsAMissingParent() {
        ModelVersion delta =
                VersionContract.buildDelta(
                        weights(2, 3), provenance(2), held(1, weights(1, 3)), TRAINER);

        assertThatThrownBy(
                        () ->
                                VersionContract.verify(
                                        delta, TRUST, Optional.of(held(1, weights(7, 8)))))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.MISSING_PARENT))
                .hasMessageContaining("made from parameters with SHA-256");
    }

    @Test
    void theSignatureCoversTheDeltaAsSentAndItsBase() {
        ModelWeights v1 = weights(1, 3);
        ModelVersion delta =
                VersionContract.buildDelta(weights(2, 3), provenance(2), held(1, v1), TRAINER);
        ByteBuffer original = delta.getWeights().duplicate();
        byte[] changed = new byte[original.remaining()];
        original.get(changed);
        changed[changed.length - 40] ^= 1;
        ModelVersion tampered =
                ModelVersion.newBuilder(delta).setWeights(ByteBuffer.wrap(changed)).build();
        ModelVersion rebased = ModelVersion.newBuilder(delta).setDeltaOf(0L).build();

        assertThatThrownBy(() -> VersionContract.verify(tampered, TRUST, Optional.of(held(1, v1))))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.SIGNATURE));
        assertThatThrownBy(() -> VersionContract.verify(rebased, TRUST, Optional.of(held(0, v1))))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.SIGNATURE));
    }

    @Test
    void anUnsignedDeltaWhoseRebuiltWeightsDoNotHashAsAnnouncedIsRefused() {
        ModelWeights v1 = weights(1, 3);
        ModelVersion delta =
                VersionContract.buildDelta(weights(2, 3), provenance(2), held(1, v1), null);
        delta.setWeightsSha256("0".repeat(64));

        assertThatThrownBy(
                        () ->
                                VersionContract.verify(
                                        delta,
                                        VersionTrust.unsignedOnly(),
                                        Optional.of(held(1, v1))))
                .isInstanceOfSatisfying(
                        InvalidVersionException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.CHECKSUM));
    }

    @Test
    void deltaBytesWithoutDeltaOfAndFullBytesWithItAreRefused() {
        ModelWeights v1 = weights(1, 3);
        ModelVersion delta =
                VersionContract.buildDelta(weights(2, 3), provenance(2), held(1, v1), null);
        ModelVersion unnamed = ModelVersion.newBuilder(delta).setDeltaOf(null).build();
        ModelVersion full = VersionContract.build(weights(2, 3), provenance(2));
        full.setDeltaOf(1L);

        assertThatThrownBy(() -> VersionContract.verify(unnamed))
                .hasMessage(
                        "text version 2 carries a delta's weights but names no deltaOf version");
        assertThatThrownBy(
                        () ->
                                VersionContract.verify(
                                        full,
                                        VersionTrust.unsignedOnly(),
                                        Optional.of(held(1, v1))))
                .hasMessage("text version 2 names deltaOf 1 but carries full weights");
    }
}
