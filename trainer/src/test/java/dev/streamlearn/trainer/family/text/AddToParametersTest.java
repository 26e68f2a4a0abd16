package dev.streamlearn.trainer.family.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Learner.addToParameters}, how a data-parallel learner takes the rows the others changed:
 * in place it must be exactly {@code startFrom} of the moved weights, for learning after it and for
 * the scoring model.
 */
class AddToParametersTest {
    private static final ModelSpec SMALL =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 1 << 10)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                    .with(TextClassifierSpec.MAX_LABELS, 3);

    private final List<TextEvent> spam = Datasets.spam(140);

    @Test
    void theFastLearnerMovedInPlaceLearnsOnAsIfStartedFromTheMovedWeights() {
        thenInPlaceEqualsStartFrom(SMALL.with(TextClassifierSpec.ENGINE, Engine.FAST));
    }

    @Test
    void theDefaultForOtherLearnersDoesTheSame() {
        thenInPlaceEqualsStartFrom(SMALL.with(TextClassifierSpec.ENGINE, Engine.DL4J));
    }

    private void thenInPlaceEqualsStartFrom(ModelSpec spec) {
        // Given two learners that learned the same examples, one mini-batch part-filled
        TextLearner inPlace = TextClassifierTraining.INSTANCE.newLearner(spec);
        TextLearner copied = TextClassifierTraining.INSTANCE.newLearner(spec);
        for (TextEvent e : spam.subList(0, 61)) {
            inPlace.offer(e.getText(), e.getLabel());
            copied.offer(e.getText(), e.getLabel());
        }
        inPlace.model(); // a scoring model built before the move must not go on serving stale rows
        // When two embedding rows and the head move, in place on one and by startFrom on the other
        int dim = spec.get(TextClassifierSpec.EMBEDDING_SIZE);
        int head = ParameterLayout.of(spec).block("2_W").offset();
        int headLength = ParameterLayout.of(spec).size() - head;
        int[] starts = {3 * dim, 700 * dim, head};
        int[] lengths = {dim, dim, headLength};
        float[] change = new float[2 * dim + headLength];
        for (int i = 0; i < change.length; i++) {
            change[i] = 0.01f * ((i % 7) - 3);
        }
        inPlace.addToParameters(starts, lengths, change);
        ModelWeights before = copied.weights();
        float[] moved = before.params();
        int at = 0;
        for (int r = 0; r < starts.length; r++) {
            for (int k = 0; k < lengths[r]; k++) {
                moved[starts[r] + k] += change[at++];
            }
        }
        copied.startFrom(new ModelWeights(before.spec(), moved));
        // Then both hold the same weights and scores, and learn the rest to the same bits
        assertThat(inPlace.weights().params()).isEqualTo(moved);
        String probe = spam.get(100).getText();
        assertThat(inPlace.model().predict(probe).probabilities())
                .isEqualTo(copied.model().predict(probe).probabilities());
        for (TextEvent e : spam.subList(61, 140)) {
            assertThat(inPlace.offer(e.getText(), e.getLabel()))
                    .isEqualTo(copied.offer(e.getText(), e.getLabel()));
        }
        assertThat(inPlace.weights().params()).isEqualTo(copied.weights().params());
        assertThat(inPlace.snapshot().updaterState()).isEqualTo(copied.snapshot().updaterState());
    }

    @Test
    void rangesOutsideTheParametersOrChangesThatDoNotFitAreRefused() {
        TextLearner learner =
                TextClassifierTraining.INSTANCE.newLearner(
                        SMALL.with(TextClassifierSpec.ENGINE, Engine.FAST));
        int size = learner.weights().params().length;
        float[] before = learner.weights().params();

        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        assertThatThrownBy(
                        () ->
                                learner.addToParameters(
                                        new int[] {0, size - 2}, new int[] {4, 4}, ones))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[" + (size - 2) + ", " + (size + 2) + ")")
                .hasMessageContaining("outside the " + size + " parameters");
        assertThatThrownBy(() -> learner.addToParameters(new int[] {0, 8}, new int[] {4, 5}, ones))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only 8 changes given for ranges of 9 parameters");
        // and a refused call moved none of its ranges, not even those before the bad one
        assertThat(learner.weights().params()).isEqualTo(before);
        // while a longer buffer than the ranges need is read from its start only
        learner.addToParameters(new int[] {2}, new int[] {3}, ones);
        float[] after = learner.weights().params();
        for (int i = 0; i < size; i++) {
            assertThat(after[i]).isEqualTo(i >= 2 && i < 5 ? before[i] + 1 : before[i]);
        }
        // and copyParameters hands out exactly the weights, into an array of their length only
        float[] copy = new float[size];
        learner.copyParameters(copy);
        assertThat(copy).isEqualTo(after);
        assertThatThrownBy(() -> learner.copyParameters(new float[size + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot copy " + size + " parameters into " + (size + 1));
    }
}
