package dev.streamlearn.models.family.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelGrowthTest {
    private static final List<String> TEXTS =
            List.of(
                    "win money now",
                    "meeting at noon about the budget",
                    "",
                    "free free free offer",
                    "the kernel panics on boot");

    /** A full model of 4 slots: the next new label has to grow it. */
    private static ModelSpec fullSpec() {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 64)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 5)
                        .with(TextClassifierSpec.MAX_LABELS, 4);
        for (String label : List.of("ham", "spam", "eggs", "bacon")) {
            spec = TextClassifierSpec.withLabel(spec, label);
        }
        return spec;
    }

    @Test
    void aNewLabelGrowsAFullModelToTwiceTheSlotsAndAKnownOneDoesNot() {
        ModelSpec full = fullSpec();
        assertThat(LabelGrowth.slotsFor(full, "spam")).isEqualTo(4);
        assertThat(LabelGrowth.slotsFor(full, "toast")).isEqualTo(8);
        ModelSpec roomy = full.with(TextClassifierSpec.MAX_LABELS, 6);
        assertThat(LabelGrowth.slotsFor(roomy, "toast")).isEqualTo(6);
        assertThat(LabelGrowth.slotsFor(full.with(TextClassifierSpec.MAX_LABELS, 3000), "x"))
                .as("no label left out: a free slot is taken first")
                .isEqualTo(3000);
    }

    @Test
    void growingStopsAtTheCeilingWithAReason() {
        // Given a model whose 3,000 slots are all taken: it may still grow, but only to 4,096
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add("l" + i);
        }
        ModelSpec spec =
                fullSpec()
                        .with(TextClassifierSpec.MAX_LABELS, 3000)
                        .with(TextClassifierSpec.LABELS, String.join(",", many));
        assertThat(LabelGrowth.slotsFor(spec, "new")).isEqualTo(TextClassifierSpec.MAX_SLOTS);
        // When every one of the 4,096 slots holds a label, a new one is refused, naming the limit
        for (int i = 3000; i < TextClassifierSpec.MAX_SLOTS; i++) {
            many.add("l" + i);
        }
        ModelSpec atCeiling =
                spec.with(TextClassifierSpec.MAX_LABELS, TextClassifierSpec.MAX_SLOTS)
                        .with(TextClassifierSpec.LABELS, String.join(",", many));
        assertThatThrownBy(() -> LabelGrowth.slotsFor(atCeiling, "new"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 'new' does not fit")
                .hasMessageContaining("4096");
        assertThat(LabelGrowth.slotsFor(atCeiling, "l17")).isEqualTo(4096);
        assertThatThrownBy(() -> LabelGrowth.slotsFor(fullSpec(), "a,b"))
                .hasMessageContaining("must not contain ','");
    }

    @Test
    void growingKeepsEveryLogitOfTheExistingSlotsExactly() {
        // Given trained-looking weights of a full model
        ModelWeights before = TextClassifierModelTest.randomWeights(fullSpec(), 3);
        // When it grows to 8 slots
        ModelWeights after = LabelGrowth.grow(before, 8);
        // Then the spec differs only in its slots, and the embedding is the same array of values
        assertThat(after.spec()).isEqualTo(before.spec().with(TextClassifierSpec.MAX_LABELS, 8));
        int embedding = ParameterLayout.of(before.spec()).block("0_W").length();
        assertThat(Arrays.copyOf(after.params(), embedding))
                .isEqualTo(Arrays.copyOf(before.params(), embedding));
        // And every existing slot's logit is the same float for every text
        TextClassifierKernel old = new TextClassifierKernel(before);
        TextClassifierKernel grown = new TextClassifierKernel(after);
        HashingTokenizer tokenizer = new HashingTokenizer(before.spec());
        for (String text : TEXTS) {
            int[] ids = tokenizer.tokenize(text).ids();
            assertThat(Arrays.copyOf(grown.logits(ids), 4)).isEqualTo(old.logits(ids));
        }
        // And the scoring model, over the labelled slots only, predicts exactly as before
        TextClassifierModel oldModel = new TextClassifierModel(before);
        TextClassifierModel grownModel = new TextClassifierModel(after);
        for (String text : TEXTS) {
            assertThat(grownModel.predict(text).probabilities())
                    .isEqualTo(oldModel.predict(text).probabilities());
        }
    }

    @Test
    void newSlotsStartWithLearnedSizedRandomColumnsAndTheLowestLearnedBias() {
        ModelWeights before = TextClassifierModelTest.randomWeights(fullSpec(), 4);
        ModelWeights after = LabelGrowth.grow(before, 8);
        ParameterLayout layout = ParameterLayout.of(after.spec());
        int head = layout.block("2_W").offset();
        int bias = layout.block("2_b").offset();
        int oldBias = ParameterLayout.of(before.spec()).block("2_b").offset();
        float lowest = Float.POSITIVE_INFINITY;
        for (int c = 0; c < 4; c++) {
            lowest = Math.min(lowest, before.params()[oldBias + c]);
        }
        double squares = 0;
        for (int c = 4; c < 8; c++) {
            for (int d = 0; d < 5; d++) {
                squares += Math.pow(after.params()[head + d * 8 + c], 2);
            }
            assertThat(after.params()[bias + c]).isEqualTo(lowest);
        }
        // The learned columns are standard Gaussian: the new ones have about their spread
        assertThat(Math.sqrt(squares / 20)).isBetween(0.5, 1.5);
        // And growing is a function of the weights: the same weights grow to the same bits
        assertThat(LabelGrowth.grow(before, 8)).isEqualTo(after);
    }

    @Test
    void carriedStateKeepsEveryLearnedEntryAndZeroesTheNewSlots() {
        ModelSpec spec = fullSpec();
        float[] moments = TextClassifierModelTest.randomWeights(spec, 5).params();
        float[] carried = LabelGrowth.carry(spec, moments, 8);
        ModelWeights grownAsWeights = LabelGrowth.grow(new ModelWeights(spec, moments), 8);
        ParameterLayout layout = ParameterLayout.of(grownAsWeights.spec());
        int bias = layout.block("2_b").offset();
        int head = layout.block("2_W").offset();
        // The same values as the grown parameters in every learned slot, zero in the new ones
        for (int i = 0; i < carried.length; i++) {
            boolean newSlot = i >= bias ? i >= bias + 4 : i >= head && (i - head) % 8 >= 4;
            assertThat(carried[i])
                    .as("entry " + i)
                    .isEqualTo(newSlot ? 0f : grownAsWeights.params()[i]);
        }
        assertThatThrownBy(() -> LabelGrowth.carry(spec, moments, 2))
                .hasMessageContaining("cannot shrink");
        assertThatThrownBy(() -> LabelGrowth.carry(spec, new float[3], 8))
                .hasMessageContaining("do not fit");
    }

    @Test
    void aRestartedTrainerContinuesUnderTheSlotsItsModelGrewTo() {
        ModelSpec configured = TextClassifierSpec.defaults();
        ModelSpec published =
                TextClassifierSpec.withLabel(
                        configured.with(TextClassifierSpec.MAX_LABELS, 64), "late");
        ModelSpec continuing = TextClassifierFamily.INSTANCE.continuing(configured, published);
        assertThat(continuing.get(TextClassifierSpec.MAX_LABELS)).isEqualTo(64);
        assertThat(TextClassifierSpec.labels(continuing)).containsExactly("late");
        // A configured model larger than the published one keeps its own size (a new shape)
        assertThat(
                        TextClassifierFamily.INSTANCE
                                .continuing(
                                        configured.with(TextClassifierSpec.MAX_LABELS, 128),
                                        published)
                                .get(TextClassifierSpec.MAX_LABELS))
                .isEqualTo(128);
    }
}
