package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.lstm.ForecasterLearner;
import dev.streamlearn.trainer.family.text.TextClassifierLearner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineLearnerTest {
    /** A small text spec keeps these tests fast; the behaviour does not depend on size. */
    private static final ModelSpec TEXT =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 16)
                    .with(TextClassifierSpec.MAX_LABELS, 3);

    private static final ModelSpec SERIES =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 8)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 8)
                    .with(LstmForecasterSpec.BATCH_SIZE, 4);

    private final List<TextEvent> spam = Datasets.spam(140);

    @Test
    void aRestoredTextLearnerContinuesBitwiseIdentically() throws Exception {
        // Given a learner that has fitted some batches and holds a partly filled one
        TextClassifierLearner original = new TextClassifierLearner(TEXT);
        for (TextEvent e : spam.subList(0, 61)) {
            original.offer(e.getText(), e.getLabel());
        }
        assertThat(original.pendingExamples()).isEqualTo(5);
        // When its snapshot, serialised and read back, seeds a new learner
        TextClassifierLearner restored =
                TextClassifierLearner.restore(roundTrip(original.snapshot()));
        // Then both learn the rest of the stream to the same bits
        for (TextEvent e : spam.subList(61, 140)) {
            original.offer(e.getText(), e.getLabel());
            restored.offer(e.getText(), e.getLabel());
        }
        assertThat(restored.weights().params()).isEqualTo(original.weights().params());
        assertThat(restored.spec()).isEqualTo(original.spec());
        assertThat(restored.examplesSeen()).isEqualTo(original.examplesSeen());
    }

    @Test
    void restoringWithoutTheOptimizerCountersWouldNotContinueIdentically() throws Exception {
        // Guards the test above against passing trivially: the counters do matter to Adam.
        TextClassifierLearner original = new TextClassifierLearner(TEXT);
        for (TextEvent e : spam.subList(0, 64)) {
            original.offer(e.getText(), e.getLabel());
        }
        LearnerSnapshot s = original.snapshot();
        LearnerSnapshot withoutCounters =
                new LearnerSnapshot(
                        s.kind(),
                        s.spec(),
                        s.params(),
                        s.updaterState(),
                        0,
                        0,
                        s.pending(),
                        s.examplesSeen());
        TextClassifierLearner restored = TextClassifierLearner.restore(withoutCounters);
        for (TextEvent e : spam.subList(64, 80)) {
            original.offer(e.getText(), e.getLabel());
            restored.offer(e.getText(), e.getLabel());
        }
        assertThat(restored.weights().params()).isNotEqualTo(original.weights().params());
    }

    @Test
    void aRestoredForecasterContinuesBitwiseIdentically() throws Exception {
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 120);
        SeriesWindows windows = new SeriesWindows(SERIES);
        ForecasterLearner original = new ForecasterLearner(SERIES);
        for (int i = 0; i < 50; i++) {
            original.offer(windows.normalise(births, i), births[i + 8]);
        }
        assertThat(original.pendingExamples()).isEqualTo(2);
        ForecasterLearner restored = ForecasterLearner.restore(roundTrip(original.snapshot()));
        for (int i = 50; i + 8 < births.length; i++) {
            original.offer(windows.normalise(births, i), births[i + 8]);
            restored.offer(windows.normalise(births, i), births[i + 8]);
        }
        assertThat(restored.weights().params()).isEqualTo(original.weights().params());
    }

    @Test
    void aFitThatGoesNonFiniteIsUndoneAndLearningGoesOnFromTheLastGoodState() {
        TextClassifierLearner learner = new TextClassifierLearner(TEXT);
        for (TextEvent e : spam.subList(0, 16)) {
            learner.offer(e.getText(), e.getLabel());
        }
        float[] good = learner.weights().params();
        // Force it: poison the output bias (every example reads it), as a NaN batch would.
        learner.network().getParam("2_b").putScalar(0, Float.NaN);
        Offer last = null;
        for (TextEvent e : spam.subList(16, 24)) {
            last = learner.offer(e.getText(), e.getLabel());
        }
        assertThat(last.status()).isEqualTo(Offer.Status.REVERTED);
        assertThat(last.score()).isNaN();
        assertThat(learner.reverts()).isEqualTo(1);
        assertThat(learner.weights().params()).isEqualTo(good);
        for (TextEvent e : spam.subList(24, 32)) {
            last = learner.offer(e.getText(), e.getLabel());
        }
        assertThat(last.status()).isEqualTo(Offer.Status.TRAINED);
        assertThat(Double.isFinite(last.score())).isTrue();
    }

    @Test
    void refusesTextsItCannotLearnWithAReason() {
        TextClassifierLearner learner = new TextClassifierLearner(TEXT);
        assertThat(learner.offer("!!! ...", "spam").rejection().reason()).contains("has no token");
        assertThat(learner.offer("hello", null).rejection().reason()).contains("label is missing");
        assertThat(learner.offer("hello", "a,b").rejection().reason())
                .contains("must not contain ','");
        learner.offer("one", "a");
        learner.offer("two", "b");
        learner.offer("three", "c");
        // A fourth label is not refused: the model grows to twice the slots
        assertThat(learner.offer("four", "d").status()).isEqualTo(Offer.Status.BUFFERED);
        assertThat(learner.examplesSeen()).isEqualTo(4);
        assertThat(learner.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(6);
        assertThat(learner.weights().spec()).isEqualTo(learner.spec());
    }

    @Test
    void refusesSeriesValuesItCannotLearnWithAReason() {
        ForecasterLearner learner = new ForecasterLearner(SERIES);
        NormalisedWindow window =
                new SeriesWindows(SERIES).normalise(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 0);
        assertThat(learner.offer(window, Double.NaN).rejection().reason())
                .isEqualTo("value is NaN, expected a finite number");
        assertThat(learner.offer(window, 1e13).rejection().reason())
                .contains("exceeds maxAbsValue");
        NormalisedWindow shortWindow = new NormalisedWindow(new float[3], 1, 1);
        assertThat(learner.offer(shortWindow, 1).rejection().reason())
                .isEqualTo("window has 3 points, the spec says 8");
        NormalisedWindow poisoned =
                new NormalisedWindow(new float[] {0, 0, 0, Float.NaN, 0, 0, 0, 0}, 1, 1);
        assertThat(learner.offer(poisoned, 1).rejection().reason()).contains("window holds NaN");
        assertThat(learner.examplesSeen()).isZero();
    }

    private static LearnerSnapshot roundTrip(LearnerSnapshot snapshot) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (LearnerSnapshot) in.readObject();
        }
    }
}
