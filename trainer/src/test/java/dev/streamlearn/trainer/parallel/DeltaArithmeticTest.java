package dev.streamlearn.trainer.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of data-parallel learning: what a delta carries, how the combiner adds deltas of
 * learners with different label orders, how a learner rebases its unsent progress onto a combined
 * version, and how learners merge after a rescale.
 */
class DeltaArithmeticTest {
    private static final String TOPIC = "texts";
    private static final ModelDefinition MODEL =
            ModelDefinition.of(
                    "spam",
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 8)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 4)
                            .with(TextClassifierSpec.BATCH_SIZE, 2)
                            .with(TextClassifierSpec.MAX_LABELS, 2));

    private final Map<Integer, Long> offsets = new HashMap<>();

    private TrainingInput text(int partition, String text, String label) {
        long offset = offsets.merge(partition, 1L, Long::sum) - 1;
        return TrainingInput.labelledText(
                MODEL.name(),
                new RecordOrigin(TOPIC, partition, offset, -1, null, null),
                "id-" + partition + "-" + offset,
                0,
                text,
                label);
    }

    private void learn(DeltaLearner learner, int partition, String label, int n) {
        for (int i = 0; i < n; i++) {
            learner.offer(text(partition, "cheap pills number " + i + " " + label, label), 0);
        }
    }

    private static ModelWeights initial() {
        return TrainingFamilies.newTrainer(MODEL).weights();
    }

    private static FeedVersion version(long number, Combiner c) {
        Map<TopicPartition, Long> sourceOffsets = new HashMap<>();
        c.sourceOffsets()
                .forEach(
                        o ->
                                sourceOffsets.put(
                                        new TopicPartition(o.getTopic(), o.getPartition()),
                                        o.getOffset()));
        return new FeedVersion(number, c.weights(), sourceOffsets);
    }

    private static float column(ModelWeights w, String label, int d) {
        ModelSpec spec = w.spec();
        int slot = TextClassifierSpec.labels(spec).indexOf(label);
        return w.params()[TextColumns.headOffset(spec) + d * TextColumns.slots(spec) + slot];
    }

    private static float bias(ModelWeights w, String label) {
        ModelSpec spec = w.spec();
        int slot = TextClassifierSpec.labels(spec).indexOf(label);
        int k = TextColumns.slots(spec);
        return w.params()[TextColumns.headOffset(spec) + TextColumns.dim(spec) * k + slot];
    }

    @Test
    void remapMovesEachColumnToTheSlotOfItsLabelAndFreeSlotsInOrder() {
        // Given weights with labels [ham, spam] and four slots, each head value tagged by its slot
        ModelSpec from =
                TextClassifierSpec.withLabel(
                        TextClassifierSpec.withLabel(
                                MODEL.modelSpec().with(TextClassifierSpec.MAX_LABELS, 4), "ham"),
                        "spam");
        ModelSpec to =
                TextClassifierSpec.withLabel(
                        TextClassifierSpec.withLabel(
                                TextClassifierSpec.withLabel(
                                        MODEL.modelSpec().with(TextClassifierSpec.MAX_LABELS, 4),
                                        "spam"),
                                "x"),
                        "ham");
        int head = TextColumns.headOffset(from);
        float[] values = new float[head + 5 * 4];
        values[7] = 42; // an embedding value
        for (int d = 0; d <= 4; d++) {
            for (int c = 0; c < 4; c++) {
                values[head + d * 4 + c] = 10 * (c + 1) + d;
            }
        }

        // When it is laid out for [spam, x, ham]
        float[] moved = TextColumns.remap(from, values, to);

        // Then the embedding is as it was, ham's column (slot 0) is in slot 2, spam's (1) in 0,
        // the first free slot (2) in the first free slot (3), x's slot is zero, free slot 3 gone
        assertThat(moved[7]).isEqualTo(42);
        for (int d = 0; d <= 4; d++) {
            assertThat(moved[head + d * 4 + 2]).isEqualTo(10 + d);
            assertThat(moved[head + d * 4]).isEqualTo(20 + d);
            assertThat(moved[head + d * 4 + 3]).isEqualTo(30 + d);
            assertThat(moved[head + d * 4 + 1]).isZero();
        }
    }

    @Test
    void aDeltaIsExactlyWhatTheLearnerLearnedAndIsSparseInTheEmbedding() {
        // Given a learner that learned 8 texts from the initial weights
        DeltaLearner learner = new DeltaLearner(MODEL);
        learn(learner, 0, "spam", 4);
        learn(learner, 0, "ham", 4);

        // When it sends and its delta is added to the initial weights
        Delta delta = Delta.decode(learner.takeDelta().encode());
        Combiner combined = new Combiner(initial(), 0, 0);
        combined.add(delta, Combiner.Rule.SUM, 1);

        // Then the combined weights are the learner's, and only the rows of its tokens travelled
        ModelWeights mine = learner.trainer().weights();
        assertThat(combined.weights().spec()).isEqualTo(mine.spec());
        float[] g = combined.weights().params();
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).as("parameter %d", i).isCloseTo(mine.params()[i], within(1e-6f));
        }
        assertThat(delta.rows().length).isPositive().isLessThan(TextColumns.vocab(mine.spec()));
        assertThat(delta.examples()).isEqualTo(8);
        assertThat(delta.fits()).isEqualTo(4);
        assertThat(delta.nextOffsets()).containsEntry(new TopicPartition(TOPIC, 0), 8L);
    }

    @Test
    void theCombinerAddsDeltasColumnByLabelNameAndGrowsForNewLabels() {
        // Given two learners that met their labels in different orders, B also a third label
        DeltaLearner a = new DeltaLearner(MODEL);
        DeltaLearner b = new DeltaLearner(MODEL);
        learn(a, 0, "ham", 2);
        learn(a, 0, "spam", 2);
        learn(b, 1, "spam", 2);
        learn(b, 1, "ham", 2);
        learn(b, 1, "promo", 2);
        Delta da = a.takeDelta();
        Delta db = b.takeDelta();

        // When both deltas are summed, and separately averaged, into the initial weights
        Combiner sum = new Combiner(initial(), 0, 0);
        sum.add(da, Combiner.Rule.SUM, 2);
        sum.add(db, Combiner.Rule.SUM, 2);
        Combiner average = new Combiner(initial(), 0, 0);
        average.add(da, Combiner.Rule.AVERAGE, 2);
        average.add(db, Combiner.Rule.AVERAGE, 2);

        // Then G takes A's order and appends promo, growing from 2 slots to 4
        ModelWeights g = sum.weights();
        assertThat(TextClassifierSpec.labels(g.spec())).containsExactly("ham", "spam", "promo");
        assertThat(TextColumns.slots(g.spec())).isEqualTo(4);
        // And spam's bias moved by A's change of spam plus B's change of spam
        ModelWeights start = initial();
        float aSpam = deltaOfBias(da, "spam");
        float bSpam = deltaOfBias(db, "spam");
        float startSpam = start.params()[TextColumns.headOffset(start.spec()) + 4 * 2 + 1];
        assertThat(bias(g, "spam")).isCloseTo(startSpam + aSpam + bSpam, within(1e-6f));
        assertThat(bias(average.weights(), "spam"))
                .isCloseTo(startSpam + (aSpam + bSpam) / 2, within(1e-6f));
        // And both deltas' examples and offsets count
        assertThat(sum.examples).isEqualTo(10);
        assertThat(sum.sourceOffsets()).hasSize(2);
    }

    private static float deltaOfBias(Delta d, String label) {
        int slot = TextClassifierSpec.labels(d.spec()).indexOf(label);
        int k = TextColumns.slots(d.spec());
        return d.head()[TextColumns.dim(d.spec()) * k + slot];
    }

    @Test
    void aRebaseKeepsTheUnsentProgressOnTopOfTheCombinedWeightsInTheCombinedLabelOrder() {
        // Given learners A (ham, spam) and B (spam, ham, promo) that sent, and were combined
        DeltaLearner a = new DeltaLearner(MODEL);
        DeltaLearner b = new DeltaLearner(MODEL);
        learn(a, 0, "ham", 2);
        learn(a, 0, "spam", 2);
        learn(b, 1, "spam", 2);
        learn(b, 1, "ham", 2);
        learn(b, 1, "promo", 2);
        Combiner g = new Combiner(initial(), 0, 0);
        g.add(a.takeDelta(), Combiner.Rule.SUM, 2);
        g.add(b.takeDelta(), Combiner.Rule.SUM, 2);
        FeedVersion v1 = version(1, g);
        // And B learned more since, not yet sent
        ModelWeights sentB = b.trainer().weights();
        learn(b, 1, "spam", 2);
        ModelWeights nowB = b.trainer().weights();

        // When B rebases onto version 1
        assertThat(b.rebase(v1)).isTrue();

        // Then B has G's label order, and every parameter is G's plus what B had not sent
        ModelWeights rebased = b.trainer().weights();
        assertThat(TextClassifierSpec.labels(rebased.spec()))
                .containsExactly("ham", "spam", "promo");
        for (String label : List.of("ham", "spam", "promo")) {
            for (int d = 0; d < 4; d++) {
                assertThat(column(rebased, label, d))
                        .isCloseTo(
                                column(v1.weights(), label, d)
                                        + column(nowB, label, d)
                                        - column(sentB, label, d),
                                within(1e-5f));
            }
        }
        for (int i = 0; i < TextColumns.headOffset(rebased.spec()); i++) {
            assertThat(rebased.params()[i])
                    .isCloseTo(
                            v1.weights().params()[i] + nowB.params()[i] - sentB.params()[i],
                            within(1e-5f));
        }
        // And its next delta is exactly that unsent progress: G plus it is B's weights
        g.add(b.takeDelta(), Combiner.Rule.SUM, 2);
        float[] after = g.weights().params();
        for (int i = 0; i < after.length; i++) {
            assertThat(after[i]).isCloseTo(rebased.params()[i], within(1e-5f));
        }
    }

    @Test
    void aVersionThatMissesASendStillRebasesAndKeepsThatSendInTheLearnersView() {
        // Given a learner whose second send is not in version 1
        DeltaLearner a = new DeltaLearner(MODEL);
        learn(a, 0, "ham", 2);
        Combiner g = new Combiner(initial(), 0, 0);
        g.add(a.takeDelta(), Combiner.Rule.SUM, 1);
        FeedVersion v1 = version(1, g);
        learn(a, 0, "spam", 2);
        Delta second = a.takeDelta();
        ModelWeights before = a.trainer().weights();

        // When version 1 arrives, then the learner rebases and keeps the second send in flight:
        // its weights are version 1's plus that send, which are its own
        assertThat(a.rebase(v1)).isTrue();
        assertThat(a.inFlight()).isEqualTo(1);
        assertClose(a.trainer().weights(), before);
        // And version 2, which includes the send, takes it out of flight
        g.add(second, Combiner.Rule.SUM, 1);
        assertThat(a.rebase(version(2, g))).isTrue();
        assertThat(a.inFlight()).isZero();
        assertClose(a.trainer().weights(), before);
        // And an older version is never taken after a newer one
        assertThat(a.rebase(v1)).isFalse();
    }

    private static void assertClose(ModelWeights actual, ModelWeights expected) {
        assertThat(actual.spec()).isEqualTo(expected.spec());
        for (int i = 0; i < actual.params().length; i++) {
            assertThat(actual.params()[i])
                    .as("parameter %d", i)
                    .isCloseTo(expected.params()[i], within(1e-5f));
        }
    }

    @Test
    void aMergedLearnersNextDeltaCarriesBothLearnersUnsentProgress() {
        // Given two learners restored onto one subtask, each with unsent progress and labels
        DeltaLearner a = new DeltaLearner(MODEL);
        DeltaLearner b = new DeltaLearner(MODEL);
        learn(a, 0, "ham", 2);
        learn(a, 0, "spam", 2);
        learn(b, 1, "promo", 2);
        learn(b, 1, "spam", 3); // one left in a part-filled mini-batch
        DeltaLearner restoredA = new DeltaLearner(MODEL, a.state());
        DeltaLearner restoredB = new DeltaLearner(MODEL, b.state());
        Delta fromA = a.takeDelta();
        b.trainer().flush();
        Delta fromB = b.takeDelta();

        // When the restored A takes over the restored B and sends
        restoredA.merge(restoredB);
        Delta merged = restoredA.takeDelta();

        // Then its delta is the sum of the two, label by label, with all examples and offsets
        assertThat(merged.examples()).isEqualTo(9);
        assertThat(merged.nextOffsets())
                .containsEntry(new TopicPartition(TOPIC, 0), 4L)
                .containsEntry(new TopicPartition(TOPIC, 1), 5L);
        assertThat(TextClassifierSpec.labels(merged.spec()))
                .containsExactly("ham", "spam", "promo");
        float[] x = fromA.dense();
        float[] y = fromB.dense();
        float[] z = merged.dense();
        for (int i = 0; i < TextColumns.headOffset(merged.spec()); i++) {
            assertThat(z[i]).as("embedding %d", i).isCloseTo(x[i] + y[i], within(1e-6f));
        }
        for (String label : List.of("ham", "spam", "promo")) {
            for (int d = 0; d <= 4; d++) {
                assertThat(headValue(merged, label, d))
                        .as("%s, row %d of the head", label, d)
                        .isCloseTo(
                                headValue(fromA, label, d) + headValue(fromB, label, d),
                                within(1e-6f));
            }
        }
    }

    /** Row {@code d} of the delta's head for {@code label} (row D is the bias); 0 if absent. */
    private static float headValue(Delta delta, String label, int d) {
        int slot = TextClassifierSpec.labels(delta.spec()).indexOf(label);
        return slot < 0 ? 0 : delta.head()[d * TextColumns.slots(delta.spec()) + slot];
    }
}
