package dev.streamlearn.models.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionContractTest {
    static ModelWeights tinyForecaster(float fill) {
        ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, 2);
        float[] params = new float[ParameterLayout.of(spec).size()];
        java.util.Arrays.fill(params, fill);
        return new ModelWeights(spec, params);
    }

    static Provenance provenance(String model, long version) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mae", 0.5);
        metrics.put("baseline.mae", Double.NaN);
        return new Provenance(
                model,
                version,
                version - 1,
                100 * version,
                metrics,
                List.of(new SourceOffset("t", 1, 7L), new SourceOffset("t", 0, 9L)),
                Instant.parse("2026-12-04T12:00:00Z"));
    }

    @Test
    void aBuiltVersionVerifiesToTheSameWeights() throws Exception {
        ModelWeights weights = tinyForecaster(0.25f);

        ModelVersion built = VersionContract.build(weights, provenance("m", 3));
        VerifiedVersion verified = VersionContract.verify(built, VersionTrust.unsignedOnly());

        assertThat(verified.weights()).isEqualTo(weights);
        assertThat(verified.record()).isSameAs(built);
        assertThat(built.getKind()).isEqualTo("lstm-forecaster");
        assertThat(built.getParentVersion()).isEqualTo(2L);
        assertThat(built.getWeightsSha256()).hasSize(64);
        assertThat(built.getCodeVersion())
                .isEqualTo(CodeVersion.current())
                .matches("\\d+\\.\\d+.*");
    }

    @Test
    void theCodeVersionLeavesOutWhatTheBuildCouldNotFillIn() {
        assertThat(CodeVersion.format("0.1.0", "3f10c5e", "false")).isEqualTo("0.1.0+3f10c5e");
        assertThat(CodeVersion.format("0.1.0", "3f10c5e", "true")).isEqualTo("0.1.0+3f10c5e.dirty");
        assertThat(CodeVersion.format("0.1.0", "${git.commit.id.abbrev}", "${git.dirty}"))
                .isEqualTo("0.1.0");
        assertThat(CodeVersion.format("${project.version}", "", "")).isEqualTo("unknown");
    }

    @Test
    void provenanceLeavesUndefinedMetricsOutAndSortsSourceOffsets() {
        ModelVersion built = VersionContract.build(tinyForecaster(0f), provenance("m", 1));

        assertThat(built.getParentVersion()).isNull();
        assertThat(built.getMetrics()).containsOnlyKeys("mae");
        assertThat(built.getSourceOffsets())
                .extracting(SourceOffset::getPartition)
                .containsExactly(0, 1);
    }

    @Test
    void aVersionWhoseAnnouncedChecksumDiffersIsRefusedNamingBoth() {
        ModelVersion built = VersionContract.build(tinyForecaster(0.25f), provenance("m", 3));
        built.setWeightsSha256("0".repeat(64));

        assertThatThrownBy(() -> VersionContract.verify(built, VersionTrust.unsignedOnly()))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("m version 3 announces weightsSha256 " + "0".repeat(64));
    }

    @Test
    void aVersionWhoseAnnouncedKindDiffersIsRefused() {
        ModelVersion built = VersionContract.build(tinyForecaster(0.25f), provenance("m", 3));
        built.setKind("text-classifier");

        assertThatThrownBy(() -> VersionContract.verify(built, VersionTrust.unsignedOnly()))
                .hasMessageContaining(
                        "announces kind text-classifier but its weights are lstm-forecaster");
    }

    @Test
    void corruptWeightsAreRefusedWithTheCodecsReason() {
        ModelVersion built = VersionContract.build(tinyForecaster(0.25f), provenance("m", 3));
        byte[] bytes = built.getWeights().array().clone();
        bytes[bytes.length - 40] ^= 1; // a parameter byte: the checksum no longer matches
        built.setWeights(ByteBuffer.wrap(bytes));

        assertThatThrownBy(() -> VersionContract.verify(built, VersionTrust.unsignedOnly()))
                .hasMessageStartingWith("m version 3: ")
                .hasMessageContaining("SHA-256");
    }
}
