package dev.streamlearn.trainer.versions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionBuilderTest {
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final SigningKey KEY = SigningKey.generate();
    private static final ModelSpec TEXT =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 1024)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 16)
                    .with(TextClassifierSpec.LABELS, "spam,ham");

    /** A learner's weights after version {@code n}: a few embedding rows and the head moved. */
    private static ModelWeights weights(ModelSpec spec, int n) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        int d = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
        for (int v = 1; v <= n; v++) {
            params[(v * 7 % 1024) * d] = v;
            params[params.length - 1] = v;
        }
        return new ModelWeights(spec, params);
    }

    private static Provenance provenance(long n) {
        return new Provenance("text", n, n - 1, n * 10, Map.of(), List.of(), T0);
    }

    private static List<ModelVersion> publish(VersionBuilder builder, int count) {
        List<ModelVersion> out = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            out.add(builder.next(weights(TEXT, n), provenance(n)));
        }
        return out;
    }

    private static List<Long> fullOnes(List<ModelVersion> versions) {
        return versions.stream()
                .filter(v -> v.getDeltaOf() == null)
                .map(ModelVersion::getVersion)
                .toList();
    }

    @Test
    void theFirstVersionIsFullAndTheNextOnesAreDeltasOfTheOneBefore() {
        List<ModelVersion> versions = publish(new VersionBuilder(KEY), 4);

        assertThat(fullOnes(versions)).containsExactly(1L);
        assertThat(versions.subList(1, 4))
                .allSatisfy(
                        v -> {
                            assertThat(v.getDeltaOf()).isEqualTo(v.getVersion() - 1);
                            assertThat(v.getWeights().remaining())
                                    .isLessThan(WeightsCodec.encode(weights(TEXT, 1)).length / 10);
                        });
    }

    @Test
    void aRegistryRebuildsEveryDeltaToTheHashOfTheFullWeights() {
        List<ModelVersion> versions =
                publish(new VersionBuilder(KEY, new DeltaPolicy(3, 1 << 20)), 7);
        RegistryState state = RegistryState.empty(10, VersionTrust.signedBy(KEY.publicKeyId()));

        for (ModelVersion v : versions) {
            RegistryState.Admission admission = state.admit(v);
            assertThat(admission)
                    .as("version %d", v.getVersion())
                    .isInstanceOf(RegistryState.Admitted.class);
            RegistryState.Admitted admitted = (RegistryState.Admitted) admission;
            int n = (int) v.getVersion();
            assertThat(admitted.version().weights()).isEqualTo(weights(TEXT, n));
            assertThat(v.getWeightsSha256())
                    .isEqualTo(WeightsCodec.sha256Hex(weights(TEXT, n).params()));
            state = admitted.state();
        }
    }

    @Test
    void everyNthVersionIsFull() {
        List<ModelVersion> versions =
                publish(new VersionBuilder(null, new DeltaPolicy(3, Long.MAX_VALUE)), 8);

        assertThat(fullOnes(versions)).containsExactly(1L, 4L, 7L);
    }

    @Test
    void aFullVersionOnceTheDeltasSinceTheLastOneReachTheByteBound() {
        VersionBuilder probe = new VersionBuilder(null);
        probe.next(weights(TEXT, 1), provenance(1));
        int deltaBytes = probe.next(weights(TEXT, 2), provenance(2)).getWeights().remaining();

        // version 2's delta stays below the bound, 2 and 3 together reach it
        List<ModelVersion> versions =
                publish(new VersionBuilder(null, new DeltaPolicy(1000, deltaBytes + 1L)), 4);

        assertThat(fullOnes(versions)).containsExactly(1L, 4L);
    }

    @Test
    void fullOnlyMakesEveryVersionFullAsBeforeDeltas() {
        assertThat(fullOnes(publish(new VersionBuilder(KEY, DeltaPolicy.fullOnly()), 3)))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void labelSlotsThatGrowForceAFullVersionAndDeltasFollowOnTheNewShape() {
        VersionBuilder builder = new VersionBuilder(null);
        builder.next(weights(TEXT, 1), provenance(1));
        ModelWeights grown =
                LabelGrowth.grow(weights(TEXT, 2), 2 * TEXT.get(TextClassifierSpec.MAX_LABELS));

        ModelVersion afterGrowth = builder.next(grown, provenance(2));
        float[] moved = grown.params().clone();
        moved[3] = 1;
        ModelVersion next = builder.next(new ModelWeights(grown.spec(), moved), provenance(3));

        assertThat(afterGrowth.getDeltaOf()).isNull();
        assertThat(next.getDeltaOf()).isEqualTo(2L);
    }

    @Test
    void aVersionWhoseParentIsNotTheOneBuiltBeforeIsFull() {
        VersionBuilder builder = new VersionBuilder(null);
        builder.next(weights(TEXT, 1), provenance(1));

        ModelVersion skipped =
                builder.next(
                        weights(TEXT, 3),
                        new Provenance("text", 3, 2, 30, Map.of(), List.of(), T0));

        assertThat(skipped.getDeltaOf()).isNull();
    }

    @Test
    void aDeltaNoSmallerThanTheFullWeightsIsPublishedFull() {
        VersionBuilder builder = new VersionBuilder(null);
        builder.next(weights(TEXT, 1), provenance(1));
        // every bit of every value at random: nothing for the deflater to find
        float[] all = new float[weights(TEXT, 2).params().length];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < all.length; i++) {
            do {
                all[i] = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(all[i]));
        }

        ModelVersion moved = builder.next(new ModelWeights(TEXT, all), provenance(2));

        assertThat(moved.getDeltaOf()).isNull();
    }

    @Test
    void afterResetTheNextVersionIsFull() {
        VersionBuilder builder = new VersionBuilder(null);
        builder.next(weights(TEXT, 1), provenance(1));
        builder.reset();

        assertThat(builder.next(weights(TEXT, 2), provenance(2)).getDeltaOf()).isNull();
    }
}
