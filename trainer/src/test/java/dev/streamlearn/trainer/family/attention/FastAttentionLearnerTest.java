package dev.streamlearn.trainer.family.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.attention.AttentionTextKernel;
import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastAttentionLearnerTest {

    private static final ModelSpec SMALL =
            ModelSpec.fromMap(
                    AttentionTextFamily.INSTANCE,
                    Map.of(
                            "vocabSize", "64",
                            "dModel", "8",
                            "heads", "2",
                            "ffSize", "6",
                            "maxTokens", "6",
                            "maxLabels", "2",
                            "batchSize", "3"));

    private static final List<String> WORDS =
            List.of("cheap", "pills", "meeting", "agenda", "win", "prize", "lunch", "report");

    @Test
    void theUntrainedModelIsTheEmbeddingBag() {
        // Given the initial weights: residual branches ending in zero, positions zero
        ModelSpec spec = SMALL.with(AttentionTextSpec.LABELS, "a,b");
        float[] p = AttentionTextTraining.initialWeights(spec);
        ParameterLayout layout = ParameterLayout.of(spec);
        int[] ids = {3, 9, 3, 40};

        // When the kernel scores a text
        double[] logits =
                new AttentionTextKernel(new ModelWeights(spec, p))
                        .forward(ids, new AttentionTextKernel(new ModelWeights(spec, p)).newPass());

        // Then each logit is the output layer on the mean of the token embeddings
        int w = layout.block("2_W").offset();
        for (int c = 0; c < 2; c++) {
            double logit = 0;
            for (int d = 0; d < 8; d++) {
                double mean = 0;
                for (int id : ids) {
                    mean += p[id * 8 + d] / ids.length;
                }
                logit += mean * p[w + d * 2 + c];
            }
            assertThat(logits[c]).isCloseTo(logit, within(1e-9));
        }
    }

    @Test
    void theMiniBatchGradientIsTheCentralDifferenceOfItsMeanCrossEntropy() {
        // Given a learner that has learned a little, so no weight is at its zero start
        FastAttentionLearner learner = new FastAttentionLearner(SMALL);
        Random random = new Random(3);
        for (int i = 0; i < 30; i++) {
            learner.offer(text(learner, random), i % 3 == 0 ? "spam" : "ham");
        }
        List<AttentionExample> batch =
                List.of(
                        new AttentionExample(new int[] {5, 7, 5, 1}, 0),
                        new AttentionExample(new int[] {9}, 1),
                        new AttentionExample(new int[] {2, 5, 30, 31, 44, 12, 60, 3}, 1));

        // When its gradient of the batch is taken
        double[] analytic = learner.gradientOf(batch);

        // Then it is the loss' central difference, parameter by parameter
        float[] params = learner.model().weights().params();
        AttentionTextKernel kernel = learner.model().kernel();
        for (int i = 0; i < params.length; i++) {
            if (i < 64 * 8 && !touches(batch, i / 8)) {
                assertThat(analytic[i]).isZero();
                continue;
            }
            float original = params[i];
            params[i] = original + 1e-3f;
            float upAt = params[i];
            double up = meanLoss(kernel, batch);
            params[i] = original - 1e-3f;
            float downAt = params[i];
            double down = meanLoss(kernel, batch);
            params[i] = original;
            double numeric = (up - down) / ((double) upAt - downAt);
            assertThat(analytic[i])
                    .as("parameter %d", i)
                    .isCloseTo(numeric, within(1e-6 + 1e-3 * Math.abs(numeric)));
        }
    }

    private static boolean touches(List<AttentionExample> batch, int row) {
        return batch.stream()
                .anyMatch(x -> java.util.Arrays.stream(x.ids()).anyMatch(id -> id == row));
    }

    private static double meanLoss(AttentionTextKernel kernel, List<AttentionExample> batch) {
        double loss = 0;
        for (AttentionExample x : batch) {
            double[] p = AttentionTextKernel.softmax(kernel.forward(x.ids(), kernel.newPass()), 2);
            loss -= Math.log(p[x.slot()]);
        }
        return loss / batch.size();
    }

    @Test
    void aRestoredSnapshotContinuesBitwise() {
        // Given a learner part-way through a mini-batch
        FastAttentionLearner learner = new FastAttentionLearner(SMALL);
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            learner.offer(text(learner, random), i % 2 == 0 ? "ham" : "spam");
        }
        assertThat(learner.pendingExamples()).isEqualTo(1);

        // When it is snapshotted and restored, and both learn the same texts
        LearnerSnapshot snapshot = learner.snapshot();
        FastAttentionLearner restored = FastAttentionLearner.restore(snapshot);
        Random again = new Random(6);
        Random same = new Random(6);
        for (int i = 0; i < 20; i++) {
            String label = i % 4 == 0 ? "eggs" : "ham";
            learner.offer(text(learner, again), label);
            restored.offer(text(restored, same), label);
        }

        // Then they hold the same weights, spec and counts
        assertThat(restored.weights()).isEqualTo(learner.weights());
        assertThat(restored.spec()).isEqualTo(learner.spec());
        assertThat(restored.examplesSeen()).isEqualTo(learner.examplesSeen()).isEqualTo(60);
        assertThat(restored.snapshot().updaterState())
                .containsExactly(learner.snapshot().updaterState());
    }

    @Test
    void aNewLabelBeyondTheSlotsGrowsTheModelKeepingWhatItLearned() {
        FastAttentionLearner learner = new FastAttentionLearner(SMALL);
        Random random = new Random(8);
        for (int i = 0; i < 12; i++) {
            learner.offer(text(learner, random), i % 2 == 0 ? "ham" : "spam");
        }
        TokenizedText probe = learner.model().tokenizer().tokenize("cheap pills win");
        double[] before =
                learner.model().kernel().forward(probe.ids(), learner.model().kernel().newPass());

        Offer offer = learner.offer(text(learner, random), "eggs");

        AttentionTextModel grown = learner.model();
        double[] after = grown.kernel().forward(probe.ids(), grown.kernel().newPass());
        assertThat(offer.status()).isEqualTo(Offer.Status.BUFFERED);
        assertThat(learner.spec().get(AttentionTextSpec.MAX_LABELS)).isEqualTo(4);
        assertThat(grown.labels()).containsExactly("ham", "spam", "eggs");
        assertThat(after[0]).isEqualTo(before[0]);
        assertThat(after[1]).isEqualTo(before[1]);
    }

    @Test
    void refusesWhatItCannotLearnWithTheReason() {
        FastAttentionLearner learner = new FastAttentionLearner(SMALL);
        TokenizedText empty = learner.model().tokenizer().tokenize("  ... ");
        TokenizedText words = learner.model().tokenizer().tokenize("agenda");

        assertThat(learner.offer(words, null).rejection().reason()).contains("label is missing");
        assertThat(learner.offer(empty, "ham").rejection().reason()).contains("no token");
        assertThat(learner.offer(words, "a,b").rejection().reason()).contains("','");
        assertThat(learner.examplesSeen()).isZero();
    }

    private static TokenizedText text(FastAttentionLearner learner, Random random) {
        StringBuilder text = new StringBuilder();
        int n = 1 + random.nextInt(10);
        for (int i = 0; i < n; i++) {
            text.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
        }
        return learner.model().tokenizer().tokenize(text.toString());
    }
}
