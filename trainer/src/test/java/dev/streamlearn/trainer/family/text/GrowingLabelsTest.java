package dev.streamlearn.trainer.family.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Offer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Labels that grow (issue 16): a stream that goes from 2 labels to 40 mid-stream is learned in full
 * by either engine, starting from the default 8 slots with no setting; the fast engine's
 * checkpoints continue bitwise-identically across growths.
 */
class GrowingLabelsTest {
    static final int LABELS = 40;
    private static final int TWO_LABEL_EXAMPLES = 99;
    private static final int ROUNDS = 30;

    /** A small vocabulary and embedding keep this fast; the slots are the default's. */
    private static ModelSpec spec(String engine) {
        return TextClassifierSpec.defaults()
                .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                .with(TextClassifierSpec.EMBEDDING_SIZE, 16)
                .with(TextClassifierSpec.ENGINE, engine);
    }

    /**
     * {text, label}: labels topic0 and topic1 only, then all 40 in turn, 30 rounds. 99 two-label
     * examples put each growth in the middle of a mini-batch of 8, with examples buffered.
     */
    static List<String[]> twoThenFortyLabels() {
        List<String[]> stream = new ArrayList<>();
        for (int i = 0; i < TWO_LABEL_EXAMPLES; i++) {
            stream.add(example(i % 2, i));
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < LABELS; k++) {
                stream.add(example(k, round));
            }
        }
        return stream;
    }

    static String[] example(int topic, int i) {
        return new String[] {
            "word" + topic + " marker" + topic + " shared text " + (i % 5) + " filler",
            "topic" + topic
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {Engine.FAST, Engine.DL4J})
    void aStreamGoingFromTwoToFortyLabelsIsLearnedInFull(String engine) {
        // Given a learner of the default 8 slots
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec(engine));
        // When the stream brings 2 labels, then 40
        List<String[]> stream = twoThenFortyLabels();
        for (String[] x : stream) {
            Offer offer = learner.offer(x[0], x[1]);
            assertThat(offer.status()).as(x[1] + ": " + offer).isNotEqualTo(Offer.Status.REJECTED);
        }
        learner.flush();
        // Then every example was learned, and the model grew 8 -> 16 -> 32 -> 64 for 40 labels
        assertThat(learner.examplesSeen()).isEqualTo(stream.size());
        assertThat(learner.pendingExamples()).isZero();
        assertThat(learner.reverts()).isZero();
        assertThat(TextClassifierSpec.labels(learner.spec())).hasSize(LABELS);
        assertThat(learner.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(64);
        assertThat(learner.weights().spec()).isEqualTo(learner.spec());
        // And the labels that came after the growths were learned, not only kept
        TextClassifierModel model = learner.model();
        int right = 0;
        for (int k = 0; k < LABELS; k++) {
            String[] x = example(k, 0);
            if (x[1].equals(model.predict(x[0]).label())) {
                right++;
            }
        }
        assertThat(right).as("topics predicted right of " + LABELS).isGreaterThanOrEqualTo(36);
    }

    @ParameterizedTest
    @ValueSource(strings = {Engine.FAST, Engine.DL4J})
    void aRestoredLearnerContinuesBitwiseIdenticallyAcrossGrowths(String engine) throws Exception {
        // Given a learner that has grown twice (to 32 slots), fitted in between, and holds a
        // partly filled mini-batch
        List<String[]> stream = twoThenFortyLabels();
        int cut = TWO_LABEL_EXAMPLES + 17;
        TextLearner original = TextClassifierTraining.INSTANCE.newLearner(spec(engine));
        for (String[] x : stream.subList(0, cut)) {
            original.offer(x[0], x[1]);
        }
        assertThat(original.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(32);
        assertThat(original.pendingExamples()).isPositive();
        // When its snapshot goes through the checkpoint serializer and seeds a new learner
        TextLearner restored =
                TextClassifierTraining.INSTANCE.restoreLearner(
                        FastTextClassifierLearnerTest.checkpointed(original.snapshot()));
        // Then both learn the rest, growing once more, to the same bits
        for (String[] x : stream.subList(cut, stream.size())) {
            assertThat(restored.offer(x[0], x[1])).isEqualTo(original.offer(x[0], x[1]));
        }
        assertThat(restored.spec()).isEqualTo(original.spec());
        assertThat(restored.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(64);
        assertThat(restored.weights().params()).isEqualTo(original.weights().params());
        assertThat(restored.snapshot().updaterState())
                .isEqualTo(original.snapshot().updaterState());
        assertThat(restored.examplesSeen()).isEqualTo(original.examplesSeen());
    }
}
