package dev.streamlearn.models.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.codec.WeightsFormatException.Check;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightsDeltaTest {
    /** A text classifier of 1,024 embedding rows of 8: its delta is by rows. */
    private static final ModelSpec TEXT =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 1024)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 8);

    private static ModelWeights random(long seed) {
        float[] params = new float[ParameterLayout.of(TEXT).size()];
        Random random = new Random(seed);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian();
        }
        return new ModelWeights(TEXT, params);
    }

    /** {@code base} with embedding rows {@code rows} and every head parameter moved. */
    private static ModelWeights touched(ModelWeights base, int... rows) {
        float[] params = base.params().clone();
        int d = TEXT.get(TextClassifierSpec.EMBEDDING_SIZE);
        for (int row : rows) {
            params[row * d + 3] += 0.5f;
        }
        int head = ParameterLayout.of(TEXT).block("2_W").offset();
        for (int i = head; i < params.length; i++) {
            params[i] -= 0.25f;
        }
        return new ModelWeights(TEXT, params);
    }

    private static String sha(ModelWeights w) {
        return WeightsCodec.sha256Hex(w.params());
    }

    @Test
    void aDeltaOfSparseRowsRebuildsTheNewWeightsExactlyAndHashesThem() throws Exception {
        ModelWeights base = random(1);
        ModelWeights next = touched(base, 0, 17, 1023);

        WeightsCodec.Encoded delta = WeightsDelta.encode(base, sha(base), next);
        WeightsCodec.Decoded rebuilt = WeightsDelta.apply(delta.bytes(), base, sha(base));

        assertThat(rebuilt.weights()).isEqualTo(next);
        assertThat(rebuilt.sha256Hex()).isEqualTo(delta.sha256Hex()).isEqualTo(sha(next));
        assertThat(WeightsDelta.isDelta(ByteBuffer.wrap(delta.bytes()))).isTrue();
        assertThat(WeightsDelta.isDelta(ByteBuffer.wrap(WeightsCodec.encode(next)))).isFalse();
        // three rows of 8 and their indices, the head whole: a small part of the whole
        int head = ParameterLayout.of(TEXT).size() - ParameterLayout.of(TEXT).block("2_W").offset();
        assertThat(delta.bytes().length)
                .isLessThan(WeightsCodec.encode(next).length / 10)
                .isGreaterThan(4 * (3 * 9 + head));
    }

    @Test
    void unchangedWeightsMakeADeltaOfNoRows() throws Exception {
        ModelWeights base = random(2);

        WeightsCodec.Encoded delta = WeightsDelta.encode(base, sha(base), base);

        assertThat(WeightsDelta.apply(delta.bytes(), base, sha(base)).weights()).isEqualTo(base);
        assertThat(delta.sha256Hex()).isEqualTo(sha(base));
    }

    @Test
    void aRowThatOnlyChangesTheSignOfZeroCountsAsChanged() throws Exception {
        float[] params = new float[ParameterLayout.of(TEXT).size()];
        ModelWeights base = new ModelWeights(TEXT, params);
        float[] negativeZero = params.clone();
        negativeZero[40] = -0.0f;
        ModelWeights next = new ModelWeights(TEXT, negativeZero);

        WeightsCodec.Decoded rebuilt =
                WeightsDelta.apply(
                        WeightsDelta.encode(base, sha(base), next).bytes(), base, sha(base));

        assertThat(rebuilt.sha256Hex()).isEqualTo(sha(next)).isNotEqualTo(sha(base));
    }

    @Test
    void aBlockWithMostRowsChangedTravelsWhole() throws Exception {
        ModelWeights base = random(3);
        ModelWeights next = random(4);

        WeightsCodec.Encoded delta = WeightsDelta.encode(base, sha(base), next);

        assertThat(WeightsDelta.apply(delta.bytes(), base, sha(base)).weights()).isEqualTo(next);
        // no row indices: at most the full encoding plus the base hash and a marker per block
        assertThat(delta.bytes().length)
                .isLessThanOrEqualTo(WeightsCodec.encode(next).length + 32 + 4 * 3);
    }

    @Test
    void aDeltaAppliedToOtherWeightsThanItsBaseFailsTheBaseCheck() {
        ModelWeights base = random(5);
        ModelWeights other = random(6);
        byte[] delta = WeightsDelta.encode(base, sha(base), touched(base, 9)).bytes();

        assertThatThrownBy(() -> WeightsDelta.apply(delta, other, sha(other)))
                .isInstanceOfSatisfying(
                        WeightsFormatException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.BASE))
                .hasMessageContaining(sha(base));
    }

    @Test
    void aDamagedBodyFailsTheStructureCheckAndAnotherResultTheChecksum() {
        ModelWeights base = random(7);
        byte[] delta = WeightsDelta.encode(base, sha(base), touched(base, 5)).bytes();
        byte[] damaged = delta.clone();
        damaged[damaged.length - 40] ^= 1; // inside the deflated body
        byte[] otherResult = delta.clone();
        otherResult[otherResult.length - 1] ^= 1; // the SHA-256 of the result

        assertThatThrownBy(() -> WeightsDelta.apply(damaged, base, sha(base)))
                .isInstanceOfSatisfying(
                        WeightsFormatException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.STRUCTURE));
        assertThatThrownBy(() -> WeightsDelta.apply(otherResult, base, sha(base)))
                .isInstanceOfSatisfying(
                        WeightsFormatException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.CHECKSUM));
    }

    @Test
    void smallStepsCompressBelowTheFloatsTheyChange() throws Exception {
        ModelWeights base = random(11);
        float[] stepped = base.params().clone();
        int d = TEXT.get(TextClassifierSpec.EMBEDDING_SIZE);
        for (int row = 0; row < 100; row++) {
            for (int c = 0; c < d; c++) {
                stepped[row * 10 * d + c] *= 1.001f;
            }
        }
        ModelWeights next = new ModelWeights(TEXT, stepped);

        WeightsCodec.Encoded delta = WeightsDelta.encode(base, sha(base), next);

        assertThat(WeightsDelta.apply(delta.bytes(), base, sha(base)).weights()).isEqualTo(next);
        assertThat(delta.bytes().length).isLessThan(100 * d * 4);
    }

    @Test
    void truncatedDeltasFailTheStructureCheck() {
        ModelWeights base = random(8);
        byte[] delta = WeightsDelta.encode(base, sha(base), touched(base, 5, 6)).bytes();

        for (int cut : new int[] {delta.length - 1, delta.length - 33, delta.length / 2}) {
            assertThatThrownBy(() -> WeightsDelta.apply(Arrays.copyOf(delta, cut), base, sha(base)))
                    .isInstanceOfSatisfying(
                            WeightsFormatException.class,
                            e -> assertThat(e.check()).isEqualTo(Check.STRUCTURE));
        }
    }

    @Test
    void aNewShapeCannotBeADelta() {
        ModelWeights base = random(9);
        ModelSpec wider =
                TEXT.with(
                        TextClassifierSpec.MAX_LABELS, 2 * TEXT.get(TextClassifierSpec.MAX_LABELS));
        ModelWeights grown = new ModelWeights(wider, new float[ParameterLayout.of(wider).size()]);

        assertThatThrownBy(() -> WeightsDelta.encode(base, sha(base), grown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same spec");
    }

    @Test
    void theDecoderOfWholeWeightsRefusesADeltaByName() {
        ModelWeights base = random(10);
        byte[] delta = WeightsDelta.encode(base, sha(base), touched(base, 1)).bytes();

        assertThatThrownBy(() -> WeightsCodec.decode(delta))
                .isInstanceOfSatisfying(
                        WeightsFormatException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.DELTA))
                .hasMessageContaining("delta");
    }
}
