package dev.streamlearn.models.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.fuzz.Mutations;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 18, fuzzing: {@link VersionContract#verify}, fed versions whose weights are damaged or
 * whose announced kind or checksum is not theirs, accepts only a version whose weights decode and
 * match what it announces, and refuses every other with an {@link InvalidVersionException} naming
 * the model and version; nothing else escapes and no case hangs.
 */
class VersionContractFuzzTest {
    private static final ModelVersion BUILT =
            VersionContract.build(
                    VersionContractTest.tinyForecaster(0.25f),
                    VersionContractTest.provenance("sensors", 7));

    @Property(tries = 10_000)
    void aDamagedVersionIsAcceptedOnlyIfItsWeightsAreWhatItAnnounces(
            @ForAll("damagedVersions") ModelVersion version) {
        Bounded.Outcome<VerifiedVersion> outcome =
                Bounded.call(() -> VersionContract.verify(version, VersionTrust.unsignedOnly()));

        if (outcome.failure() != null) {
            assertThat(outcome.failure())
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith(
                            version.getModel() + " version " + version.getVersion());
            Statistics.label("outcome").collect("refused");
        } else {
            VerifiedVersion verified = outcome.value();
            assertThat(verified.record()).isSameAs(version);
            assertThat(verified.weights().spec().kind().id()).isEqualTo(version.getKind());
            assertThat(WeightsCodec.sha256Hex(verified.weights().params()))
                    .isEqualTo(version.getWeightsSha256());
            Statistics.label("outcome").collect("accepted");
        }
        Statistics.label("outcome")
                .coverage(coverage -> coverage.check("refused").percentage(p -> p > 50));
    }

    @Provide
    Arbitrary<ModelVersion> damagedVersions() {
        byte[] weights = WeightsCodec.encode(VersionContractTest.tinyForecaster(0.25f));
        Arbitrary<ModelVersion> damagedWeights =
                Mutations.of(weights)
                        .map(
                                bytes ->
                                        ModelVersion.newBuilder(BUILT)
                                                .setWeights(ByteBuffer.wrap(bytes))
                                                .build());
        Arbitrary<ModelVersion> otherKind =
                Arbitraries.oneOf(
                                Arbitraries.of("text-classifier", "", "LSTM-FORECASTER"),
                                Arbitraries.strings().all().ofMaxLength(20))
                        .map(kind -> ModelVersion.newBuilder(BUILT).setKind(kind).build());
        Arbitrary<ModelVersion> otherChecksum =
                Arbitraries.oneOf(
                                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
                                Arbitraries.of(
                                        BUILT.getWeightsSha256().toUpperCase(),
                                        BUILT.getWeightsSha256() + "0",
                                        ""))
                        .map(sha -> ModelVersion.newBuilder(BUILT).setWeightsSha256(sha).build());
        return Arbitraries.frequencyOf(
                Tuple.of(6, damagedWeights),
                Tuple.of(1, otherKind),
                Tuple.of(1, otherChecksum),
                Tuple.of(1, Arbitraries.just(BUILT)));
    }
}
