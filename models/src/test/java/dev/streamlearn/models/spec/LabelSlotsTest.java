package dev.streamlearn.models.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSlotsTest {

    @Test
    void labelsTakeSlotsInTheOrderTheyFirstAppear() {
        ModelSpec spec = MlpClassifierSpec.defaults();
        for (String label : List.of("b", "a", "b", "c")) {
            spec = MlpClassifierSpec.withLabel(spec, label);
        }
        assertThat(MlpClassifierSpec.labels(spec)).containsExactly("b", "a", "c");
        assertThat(spec.toMap()).containsEntry("labels", "b,a,c");
    }

    @Test
    void aLabelBeyondTheLastSlotIsRefusedNamingTheSlotsAndWhoHoldsThem() {
        ModelSpec full =
                CnnClassifierSpec.defaults()
                        .with(CnnClassifierSpec.MAX_LABELS, 2)
                        .with(CnnClassifierSpec.LABELS, "a,b");
        assertThatThrownBy(() -> CnnClassifierSpec.withLabel(full, "c"))
                .hasMessage("label 'c' does not fit: all 2 slots (maxLabels) are taken by [a, b]");
        assertThat(CnnClassifierSpec.withLabel(full, "b")).isSameAs(full);
    }

    @Test
    void aLabelThatCannotBeListedIsRefused() {
        assertThatThrownBy(() -> TextClassifierSpec.withLabel(TextClassifierSpec.defaults(), "x,y"))
                .hasMessage("label 'x,y' must be non-empty and must not contain ','");
        assertThatThrownBy(() -> LabelSlots.requireValidLabel(""))
                .hasMessage("label '' must be non-empty and must not contain ','");
    }

    @Test
    void eachFamilyDeclaresItsOwnSlotsWithItsDefaults() {
        assertThat(CnnClassifierSpec.MAX_LABELS.defaultValue()).isEqualTo(10);
        assertThat(MlpClassifierSpec.MAX_LABELS.defaultValue()).isEqualTo(8);
        assertThat(TextClassifierSpec.MAX_LABELS.defaultValue()).isEqualTo(8);
        assertThat(TextClassifierSpec.MAX_LABELS.description()).contains("double");
        assertThat(CnnClassifierSpec.LABELS).isNotSameAs(MlpClassifierSpec.LABELS);
        assertThatThrownBy(() -> CnnClassifierSpec.defaults().get(MlpClassifierSpec.LABELS))
                .hasMessage("hyper-parameter labels does not belong to cnn-classifier");
        assertThatThrownBy(() -> MlpClassifierSpec.LABELS.parse("a,a"))
                .hasMessage(
                        "hyper-parameter labels = a,a must be distinct non-empty labels separated"
                                + " by ','");
    }

    @Test
    void countListsNameTheirRangeAndAnExample() {
        CountList sizes = new CountList("layer sizes", 4096, "16 or 32,16");
        assertThat(sizes.parse(" 32, 16")).containsExactly(32, 16);
        assertThat(sizes.validator().check("16,0"))
                .isEqualTo(
                        "must be one or more layer sizes in [1, 4096] separated by ',', e.g. 16"
                                + " or 32,16");
        assertThat(sizes.validator().check("x")).isNotNull();
        assertThat(sizes.validator().check("4096")).isNull();
    }
}
