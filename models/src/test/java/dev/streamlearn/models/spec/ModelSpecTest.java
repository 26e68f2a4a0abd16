package dev.streamlearn.models.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void lstmForecasterDefaultsAreTheDocumentedOnes() {
        assertThat(LstmForecasterSpec.defaults().toMap())
                .containsExactly(
                        Map.entry("window", "32"),
                        Map.entry("hiddenSize", "32"),
                        Map.entry("learningRate", "0.003"),
                        Map.entry("batchSize", "8"),
                        Map.entry("seed", "42"),
                        Map.entry("relativeScaleFloor", "0.001"),
                        Map.entry("targetClip", "10.0"),
                        Map.entry("maxAbsValue", "1.0E12"),
                        Map.entry("anomalyHalfLife", "1000"),
                        Map.entry("anomalyClip", "1.25"),
                        Map.entry("engine", "fast"),
                        Map.entry("structure", "linear+lstm"),
                        Map.entry("seasons", "none"),
                        Map.entry("linearPrior", "10.0"));
    }

    @Test
    void forecasterSeasonsAreNoneOrLagsInRange() {
        ModelSpec spec =
                ModelSpec.fromMap(LstmForecasterFamily.INSTANCE, Map.of("seasons", "48, 336"));
        assertThat(LstmForecasterSpec.seasons(spec)).containsExactly(48, 336);
        assertThat(LstmForecasterSpec.history(spec)).isEqualTo(337);
        assertThat(LstmForecasterSpec.linearInputs(spec)).isEqualTo(32 + 4);
        assertThat(LstmForecasterSpec.seasons(LstmForecasterSpec.defaults())).isEmpty();
        assertThat(LstmForecasterSpec.history(LstmForecasterSpec.defaults())).isEqualTo(32);
        for (String bad : new String[] {"weekly", "1", "4097", "7,", ""}) {
            assertThatThrownBy(
                            () ->
                                    ModelSpec.fromMap(
                                            LstmForecasterFamily.INSTANCE, Map.of("seasons", bad)))
                    .as("seasons=%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seasons");
        }
    }

    @Test
    void theLstmAloneReadsNoSeasons() {
        ModelSpec spec =
                ModelSpec.fromMap(
                        LstmForecasterFamily.INSTANCE,
                        Map.of("structure", "lstm", "seasons", "365"));
        assertThat(LstmForecasterSpec.hasLinearPart(spec)).isFalse();
        assertThat(LstmForecasterSpec.history(spec)).isEqualTo(32);
        assertThat(ParameterLayout.of(spec).size()).isEqualTo(4385);
        assertThat(ParameterLayout.of(LstmForecasterSpec.defaults()).size())
                .isEqualTo(4385 + 32 + 1);
    }

    @Test
    void textClassifierDefaultsAreTheDocumentedOnes() {
        assertThat(TextClassifierSpec.defaults().toMap())
                .containsExactly(
                        Map.entry("vocabSize", "32768"),
                        Map.entry("embeddingSize", "64"),
                        Map.entry("maxTokens", "400"),
                        Map.entry("edgeTokens", "1"),
                        Map.entry("maxLabels", "8"),
                        Map.entry("labels", ""),
                        Map.entry("learningRate", "0.003"),
                        Map.entry("embeddingLearningRate", "0.03"),
                        Map.entry("batchSize", "8"),
                        Map.entry("seed", "42"),
                        Map.entry("engine", "fast"));
    }

    @Test
    void theTextEngineIsFastOrDl4j() {
        ModelSpec dl4j = ModelSpec.fromMap(TextClassifierFamily.INSTANCE, Map.of("engine", "dl4j"));
        assertThat(dl4j.get(TextClassifierSpec.ENGINE)).isEqualTo("dl4j");
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        TextClassifierFamily.INSTANCE, Map.of("engine", "torch")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine")
                .hasMessageContaining("'fast' or 'dl4j'");
    }

    @Test
    void theForecasterEngineIsFastOrDl4j() {
        ModelSpec dl4j = ModelSpec.fromMap(LstmForecasterFamily.INSTANCE, Map.of("engine", "dl4j"));
        assertThat(dl4j.get(LstmForecasterSpec.ENGINE)).isEqualTo("dl4j");
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        LstmForecasterFamily.INSTANCE, Map.of("engine", "torch")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine")
                .hasMessageContaining("'fast' or 'dl4j'");
    }

    @Test
    void everyParameterHasADescription() {
        for (ModelFamily kind : ModelFamilies.all()) {
            assertThat(kind.params()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
        }
    }

    @Test
    void aSpecSurvivesItsStringForm() {
        ModelSpec spec =
                TextClassifierSpec.withLabel(
                        TextClassifierSpec.defaults().with(TextClassifierSpec.VOCAB_SIZE, 1024),
                        "spam");
        assertThat(ModelSpec.fromMap(TextClassifierFamily.INSTANCE, spec.toMap())).isEqualTo(spec);
    }

    @Test
    void absentNamesTakeTheirDefaults() {
        ModelSpec spec = ModelSpec.fromMap(LstmForecasterFamily.INSTANCE, Map.of("window", "8"));
        assertThat(spec.get(LstmForecasterSpec.WINDOW)).isEqualTo(8);
        assertThat(spec.get(LstmForecasterSpec.HIDDEN_SIZE)).isEqualTo(32);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        LstmForecasterFamily.INSTANCE, Map.of("windw", "8")))
                .hasMessageContaining("unknown hyper-parameter 'windw'")
                .hasMessageContaining("window");
    }

    @Test
    void anInvalidValueIsRefusedWithWhatWasExpected() {
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        LstmForecasterFamily.INSTANCE, Map.of("hiddenSize", "0")))
                .hasMessageContaining("hiddenSize = 0 must be in [1, 1024]");
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        TextClassifierFamily.INSTANCE, Map.of("vocabSize", "1000")))
                .hasMessageContaining("power of two");
        assertThatThrownBy(
                        () ->
                                ModelSpec.fromMap(
                                        LstmForecasterFamily.INSTANCE,
                                        Map.of("learningRate", "abc")))
                .hasMessageContaining("cannot read 'abc'");
    }

    @Test
    void labelsTakeSlotsInOrderOfAppearanceUpToMaxLabels() {
        ModelSpec spec = TextClassifierSpec.defaults().with(TextClassifierSpec.MAX_LABELS, 2);
        spec = TextClassifierSpec.withLabel(spec, "ham");
        spec = TextClassifierSpec.withLabel(spec, "spam");
        spec = TextClassifierSpec.withLabel(spec, "ham");
        assertThat(TextClassifierSpec.labels(spec)).containsExactly("ham", "spam");
        ModelSpec full = spec;
        assertThatThrownBy(() -> TextClassifierSpec.withLabel(full, "eggs"))
                .hasMessageContaining("all 2 slots");
        assertThatThrownBy(() -> TextClassifierSpec.withLabel(full, "a,b"))
                .hasMessageContaining("must not contain ','");
    }
}
