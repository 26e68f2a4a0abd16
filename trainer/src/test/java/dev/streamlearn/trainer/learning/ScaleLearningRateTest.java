package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesObservation;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.lstm.SeriesLearner;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Learner#scaleLearningRate}, the drift action, on every engine: Adam's first step moves a
 * parameter by the learning rate times a factor of its moments that does not depend on the rate, so
 * on the same first mini-batch a boosted learner moves each parameter it boosts exactly that many
 * times as far, and every other parameter exactly as far.
 */
class ScaleLearningRateTest {
    private static final int BATCH = 4;

    /** Each parameter of {@code block} moved {@code factor} times as far when boosted. */
    private static void assertMovedTimes(
            float[] before, float[] plain, float[] boosted, ParameterBlock block, double factor) {
        int moved = 0;
        for (int i = block.offset(); i < block.offset() + block.length(); i++) {
            double d1 = plain[i] - before[i];
            double d10 = boosted[i] - before[i];
            if (Math.abs(d1) > 1e-6) {
                assertThat(d10 / d1)
                        .as("%s parameter %d", block.name(), i - block.offset())
                        .isCloseTo(factor, offset(factor * 2e-2));
                moved++;
            } else {
                assertThat(Math.abs(d10)).isLessThanOrEqualTo(factor * 1e-6 + 1e-7);
            }
        }
        assertThat(moved).as("parameters of %s that moved", block.name()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {Engine.FAST, Engine.DL4J})
    void aBoostedTextLearnerMovesItsHeadTenTimesAsFarAndItsEmbeddingAlike(String engine) {
        // Given two learners of one spec and seed, one of them boosted 10x
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.ENGINE, engine)
                        .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                        .with(TextClassifierSpec.BATCH_SIZE, BATCH);
        TextLearner plain = TextClassifierTraining.INSTANCE.newLearner(spec);
        TextLearner boosted = TextClassifierTraining.INSTANCE.newLearner(spec);
        boosted.scaleLearningRate(10);
        List<TextEvent> mails = Datasets.spam(BATCH);

        // When both learn the same first mini-batch
        for (TextEvent mail : mails) {
            plain.offer(mail.getText(), mail.getLabel());
            boosted.offer(mail.getText(), mail.getLabel());
        }

        // Then, from the weights both started at (the spec's seed), the head moved 10x as far and
        // the embedding as far
        ModelSpec learned = plain.spec();
        float[] before = TextClassifierTraining.INSTANCE.newLearner(learned).weights().params();
        float[] p = plain.weights().params();
        float[] b = boosted.weights().params();
        ParameterLayout layout = ParameterLayout.of(learned);
        assertMovedTimes(before, p, b, layout.block("2_W"), 10);
        assertMovedTimes(before, p, b, layout.block("2_b"), 10);
        assertMovedTimes(before, p, b, layout.block("0_W"), 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {Engine.FAST, Engine.DL4J})
    void aBoostedForecasterMovesItsLstmTenTimesAsFarAndItsLinearPartAlike(String engine) {
        ModelSpec spec =
                LstmForecasterSpec.defaults()
                        .with(LstmForecasterSpec.ENGINE, engine)
                        .with(LstmForecasterSpec.WINDOW, 8)
                        .with(LstmForecasterSpec.HIDDEN_SIZE, 8)
                        .with(LstmForecasterSpec.BATCH_SIZE, BATCH);
        SeriesLearner plain = LstmForecasterTraining.INSTANCE.newLearner(spec);
        SeriesLearner boosted = LstmForecasterTraining.INSTANCE.newLearner(spec);
        float[] before = plain.weights().params();
        boosted.scaleLearningRate(10);
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 8 + BATCH);
        SeriesTracker windows = new SeriesTracker(spec);

        for (double value : births) {
            SeriesObservation o = windows.observe(value, plain.model());
            if (o.hasForecast()) {
                plain.offer(o.window(), o.value());
                boosted.offer(o.window(), o.value());
            }
        }

        assertThat(plain.fits()).isEqualTo(1);
        float[] p = plain.weights().params();
        float[] b = boosted.weights().params();
        ParameterLayout layout = ParameterLayout.of(spec);
        Set<String> linear = Set.of("lin_W", "lin_b");
        for (ParameterBlock block : layout.blocks()) {
            assertMovedTimes(before, p, b, block, linear.contains(block.name()) ? 1 : 10);
        }
    }

    @Test
    void aFactorMustBePositive() {
        TextLearner learner =
                TextClassifierTraining.INSTANCE.newLearner(TextClassifierSpec.defaults());

        assertThatThrownBy(() -> learner.scaleLearningRate(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive and finite, was 0.0");
    }
}
