package dev.streamlearn.models.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.fuzz.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 18, fuzzing: {@link WeightsCodec#decodeVerified}, fed damaged encodings of real weights and
 * encodings of any spec a writer could claim, returns only weights a kernel can use (as many finite
 * parameters as the spec's layout has) or refuses with a {@link WeightsFormatException} naming the
 * check that failed; nothing else escapes, no case hangs, and no case allocates much more than its
 * input, whatever a count or length in it claims.
 */
class WeightsCodecFuzzTest {
    private static final long ALLOCATION_SLACK = 1 << 20;
    private static final int ALLOCATION_PER_INPUT_BYTE = 16;

    /** Valid encodings of small weights of both families, and the golden file. */
    static final List<byte[]> VALID = List.of(encodedForecaster(), encodedClassifier(), golden());

    @Property(tries = 10_000)
    void aDamagedEncodingDecodesToUsableWeightsOrIsRefusedNamingTheCheck(
            @ForAll("damagedEncodings") byte[] bytes) {
        Statistics.label("outcome").collect(decodeAndJudge(bytes));
        Statistics.label("outcome")
                .coverage(coverage -> coverage.check("refused").percentage(p -> p > 90));
    }

    @Property(tries = 2_000)
    void anEncodingOfAnyClaimedSpecDecodesOnlyIfItsParametersFitThatSpec(
            @ForAll("claimedSpecs") byte[] bytes) {
        Statistics.label("outcome").collect(decodeAndJudge(bytes));
    }

    @Property(tries = 2_000)
    void theLayoutOfEverySpecTheValidatorsAcceptHoldsItsBlocksOrIsRefused(
            @ForAll("classifierSizes") Tuple.Tuple3<Integer, Integer, Integer> sizes) {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, sizes.get1())
                        .with(TextClassifierSpec.EMBEDDING_SIZE, sizes.get2())
                        .with(TextClassifierSpec.MAX_LABELS, sizes.get3());
        ParameterLayout layout;
        try {
            layout = ParameterLayout.of(spec);
        } catch (IllegalArgumentException tooLarge) {
            assertThat(tooLarge).hasMessageContaining("parameters");
            Statistics.label("layout").collect("refused");
            return;
        }
        long blocks =
                layout.blocks().stream()
                        .mapToLong(block -> (long) block.rows() * block.cols())
                        .sum();
        assertThat((long) layout.size()).as("layout of %s", spec).isEqualTo(blocks);
        Statistics.label("layout").collect("holds its blocks");
    }

    /** Vocabulary, embedding and label sizes the spec's validators accept, often the largest. */
    @Provide
    Arbitrary<Tuple.Tuple3<Integer, Integer, Integer>> classifierSizes() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 24).map(bit -> 1 << bit),
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(1, 4096),
                                Arbitraries.of(256, 1024, 4096)),
                        Arbitraries.integers().between(2, 4096))
                .as(Tuple::of);
    }

    @Provide
    Arbitrary<byte[]> damagedEncodings() {
        return Arbitraries.of(VALID).flatMap(Mutations::of);
    }

    /**
     * Encodings that are well formed around a spec whose values are anything from sensible to out
     * of range, with the parameter count its layout gives (or any count) and, where that count is
     * small, parameters and a correct checksum.
     */
    @Provide
    Arbitrary<byte[]> claimedSpecs() {
        Arbitrary<Map<String, String>> forecaster =
                Combinators.combine(
                                sizes(1, 1024, false),
                                sizes(2, 1024, false),
                                Arbitraries.of("fast", "dl4j"))
                        .as(
                                (hidden, window, engine) ->
                                        Map.of(
                                                LstmForecasterSpec.HIDDEN_SIZE.name(), hidden,
                                                LstmForecasterSpec.WINDOW.name(), window,
                                                LstmForecasterSpec.ENGINE.name(), engine));
        Arbitrary<Map<String, String>> classifier =
                Combinators.combine(
                                sizes(2, 1 << 24, true),
                                sizes(1, 4096, false),
                                sizes(2, 4096, false))
                        .as(
                                (vocab, embedding, labels) ->
                                        Map.of(
                                                TextClassifierSpec.VOCAB_SIZE.name(), vocab,
                                                TextClassifierSpec.EMBEDDING_SIZE.name(), embedding,
                                                TextClassifierSpec.MAX_LABELS.name(), labels));
        Arbitrary<Tuple.Tuple2<String, Map<String, String>>> claimed =
                Arbitraries.frequencyOf(
                        Tuple.of(4, forecaster.map(spec -> Tuple.of("lstm-forecaster", spec))),
                        Tuple.of(4, classifier.map(spec -> Tuple.of("text-classifier", spec))),
                        Tuple.of(1, forecaster.map(spec -> Tuple.of("text-classifier", spec))),
                        Tuple.of(1, classifier.map(spec -> Tuple.of("lstm-forecaster", spec))));
        Arbitrary<Integer> countChoice =
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(-1, 1, 2)));
        return Combinators.combine(claimed, countChoice, Arbitraries.floats())
                .as((spec, count, fill) -> encodeClaimed(spec.get1(), spec.get2(), count, fill));
    }

    /** Sizes a spec may name: the bounds, around them, in between, and powers of two. */
    private static Arbitrary<String> sizes(int min, int max, boolean powerOfTwo) {
        Arbitrary<Integer> inRange =
                powerOfTwo
                        ? Arbitraries.integers()
                                .between(Integer.numberOfTrailingZeros(min), 24)
                                .map(bit -> 1 << bit)
                        : Arbitraries.integers().between(min, max);
        return Arbitraries.oneOf(
                        inRange, Arbitraries.of(min, max, min - 1, max + 1, Integer.MAX_VALUE, -1))
                .map(String::valueOf);
    }

    /**
     * Encodes {@code spec} as the codec lays it out. {@code countChoice} 0 takes the count from the
     * spec's layout, others a count off by one or an arbitrary one.
     */
    private static byte[] encodeClaimed(
            String kind, Map<String, String> spec, int countChoice, float fill) {
        long layoutSize;
        try {
            layoutSize =
                    ParameterLayout.of(ModelSpec.fromMap(ModelFamilies.byId(kind), spec)).size();
        } catch (IllegalArgumentException invalid) {
            layoutSize = 7;
        }
        int count =
                switch (countChoice) {
                    case -1 -> (int) layoutSize - 1;
                    case 1 -> (int) layoutSize + 1;
                    case 2 -> Integer.MAX_VALUE;
                    default -> (int) layoutSize;
                };
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {'S', 'L', 'W', 'T'});
            out.writeInt(WeightsCodec.FORMAT_VERSION);
            out.writeUTF(kind);
            out.writeInt(spec.size());
            for (Map.Entry<String, String> entry : new LinkedHashMap<>(spec).entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
            }
            out.writeInt(count);
            if (count >= 0 && count <= 100_000) {
                ByteArrayOutputStream params = new ByteArrayOutputStream();
                DataOutputStream paramsOut = new DataOutputStream(params);
                for (int i = 0; i < count; i++) {
                    paramsOut.writeFloat(fill);
                }
                out.write(params.toByteArray());
                out.write(MessageDigest.getInstance("SHA-256").digest(params.toByteArray()));
            }
            return bytes.toByteArray();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "decoded" for weights a kernel can use, "refused" for a named check; anything else fails. */
    private static String decodeAndJudge(byte[] bytes) {
        Bounded.Outcome<WeightsCodec.Decoded> outcome =
                Bounded.call(() -> WeightsCodec.decodeVerified(bytes));
        assertThat(outcome.allocatedBytes())
                .as("bytes allocated decoding %d input bytes", bytes.length)
                .isLessThan(ALLOCATION_SLACK + ALLOCATION_PER_INPUT_BYTE * bytes.length);
        if (outcome.failure() != null) {
            assertThat(outcome.failure()).isInstanceOf(WeightsFormatException.class);
            WeightsFormatException refused = (WeightsFormatException) outcome.failure();
            assertThat(refused.check()).isNotNull();
            assertThat(refused.getMessage())
                    .startsWith("weights failed the " + refused.check() + " check: ");
            return "refused";
        }
        ModelWeights weights = outcome.value().weights();
        long needed =
                ParameterLayout.of(weights.spec()).blocks().stream()
                        .mapToLong(block -> (long) block.rows() * block.cols())
                        .sum();
        assertThat((long) weights.params().length)
                .as("parameters of %s", weights.spec())
                .isEqualTo(needed);
        for (float value : weights.params()) {
            assertThat(Float.isFinite(value)).isTrue();
        }
        return "decoded";
    }

    private static byte[] encodedForecaster() {
        ModelSpec spec =
                LstmForecasterSpec.defaults()
                        .with(LstmForecasterSpec.WINDOW, 4)
                        .with(LstmForecasterSpec.HIDDEN_SIZE, 2);
        return WeightsCodec.encode(filled(spec));
    }

    private static byte[] encodedClassifier() {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 16)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 3)
                        .with(TextClassifierSpec.MAX_LABELS, 2)
                        .with(TextClassifierSpec.LABELS, "ham,spam");
        return WeightsCodec.encode(filled(spec));
    }

    private static ModelWeights filled(ModelSpec spec) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (i - 20) / 8f;
        }
        return new ModelWeights(spec, params);
    }

    private static byte[] golden() {
        try (InputStream in =
                WeightsCodecFuzzTest.class.getResourceAsStream(WeightsCodecTest.GOLDEN)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
