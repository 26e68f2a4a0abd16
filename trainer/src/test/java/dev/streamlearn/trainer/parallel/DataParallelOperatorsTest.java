package dev.streamlearn.trainer.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel operators in Flink's operator test harness: learners saved at parallelism 2 and
 * restored at 1, and the combiner's publishing and snapshot/restore.
 */
class DataParallelOperatorsTest {
    private static final int BATCH = 8;
    private static final ModelDefinition MODEL =
            ModelDefinition.of(
                    "spam",
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 10)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 4)
                            .with(TextClassifierSpec.BATCH_SIZE, BATCH));
    private static final TrainingOptions OPTIONS =
            TrainingOptions.defaults()
                    .withPublishEveryMiniBatches(2)
                    .withPublishInterval(Duration.ofSeconds(10));
    private static final TypeInformation<Tuple2<String, byte[]>> DELTA =
            Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));

    /** No versions ever come back: what the learners do on their own. */
    private static final VersionFeed.Factory SILENT =
            (model, client) ->
                    new VersionFeed() {
                        @Override
                        public boolean hasFullWeights() {
                            return true;
                        }

                        @Override
                        public FeedVersion newest() {
                            return null;
                        }

                        @Override
                        public FeedVersion awaitNewer(long version, Duration timeout) {
                            return null;
                        }

                        @Override
                        public void close() {}
                    };

    private static KeyedOneInputStreamOperatorTestHarness<
                    Integer, TrainingInput, Tuple2<String, byte[]>>
            learner(int parallelism, int subtask) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DeltaLearnerOperator(
                                MODEL,
                                OPTIONS.withPublishEveryMiniBatches(100),
                                parallelism,
                                16,
                                SILENT),
                        new DataParallel.BySourcePartition(
                                parallelism, DataParallel.MAX_PARALLELISM),
                        Types.INT,
                        DataParallel.MAX_PARALLELISM,
                        parallelism,
                        subtask);
        h.setup(DELTA.createSerializer(new SerializerConfigImpl()));
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, Tuple2<String, byte[]>, ModelVersion>
            combiner() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CombinerOperator(
                                List.of(MODEL), Map.of("spam", 2), OPTIONS, Combiner.Rule.SUM),
                        new DataParallel.ByModel(),
                        Types.STRING);
        h.setup(
                new AvroTypeInfo<>(ModelVersion.class)
                        .createSerializer(new SerializerConfigImpl()));
        return h;
    }

    private static TrainingInput text(int partition, long offset, TextEvent e) {
        return TrainingInput.labelledText(
                "spam",
                new RecordOrigin("texts", partition, offset, -1, null, null),
                e.getId(),
                0,
                e.getText(),
                e.getLabel());
    }

    @Test
    void learnersSavedAtTwoAndRestoredAtOneSendAllTheirUnsentExamplesAsOneDelta() throws Exception {
        // Given two learners that learned 12 and 20 texts of their partitions, nothing sent
        List<TextEvent> texts = Datasets.spam(32);
        OperatorSubtaskState first;
        OperatorSubtaskState second;
        try (var a = learner(2, 0);
                var b = learner(2, 1)) {
            a.open();
            b.open();
            for (int i = 0; i < 12; i++) {
                a.processElement(text(0, i, texts.get(i)), 0);
            }
            for (int i = 0; i < 20; i++) {
                b.processElement(text(1, i, texts.get(12 + i)), 0);
            }
            assertThat(a.extractOutputValues().size() + b.extractOutputValues().size())
                    .as("deltas sent before the snapshot")
                    .isZero();
            first = a.snapshot(1, 1);
            second = b.snapshot(1, 1);
        }

        // When both are restored into one subtask and its send interval passes
        OperatorSubtaskState one =
                AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        AbstractStreamOperatorTestHarness.repackageState(first, second),
                        DataParallel.MAX_PARALLELISM,
                        2,
                        1,
                        0);
        try (var merged = learner(1, 0)) {
            merged.initializeState(one);
            merged.open();
            merged.setProcessingTime(60_000);

            // Then it sends one delta with all 32 examples and both partitions' offsets
            List<Tuple2<String, byte[]>> sent = merged.extractOutputValues();
            assertThat(sent.size()).isEqualTo(1);
            Delta delta = Delta.decode(sent.get(0).f1);
            assertThat(delta.examples()).isEqualTo(32);
            assertThat(delta.nextOffsets().values()).containsExactlyInAnyOrder(12L, 20L);
            assertThat(delta.rows().length).isPositive();
        }
    }

    @Test
    void theCombinerPublishesOnThePolicyAtOnceForAnUrgentDeltaAndGoesOnAfterARestore()
            throws Exception {
        // Given deltas of two learners, each of one mini-batch
        List<TextEvent> texts = Datasets.spam(48);
        DeltaLearner a = new DeltaLearner(MODEL);
        DeltaLearner b = new DeltaLearner(MODEL);
        for (int i = 0; i < 8; i++) {
            a.offer(text(0, i, texts.get(i)), 0);
            b.offer(text(1, i, texts.get(8 + i)), 0);
        }
        OperatorSubtaskState saved;
        try (var h = combiner()) {
            h.open();
            // When the first arrives, nothing is published (the policy is every 2 mini-batches)
            h.processElement(Tuple2.of("spam", a.takeDelta().encode()), 0);
            assertThat(h.extractOutputValues().size()).isZero();
            // Then the second completes the policy: version 1, with both learners' texts
            h.processElement(Tuple2.of("spam", b.takeDelta().encode()), 0);
            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions).extracting(ModelVersion::getVersion).containsExactly(1L);
            assertThat(versions.get(0).getExamplesSeen()).isEqualTo(16);
            assertThat(versions.get(0).getSourceOffsets())
                    .extracting(SourceOffset::getOffset)
                    .containsExactlyInAnyOrder(8L, 8L);
            saved = h.snapshot(1, 1);
        }
        for (int i = 16; i < 24; i++) {
            a.offer(text(0, i - 8, texts.get(i)), 0);
        }
        try (var h = combiner()) {
            h.initializeState(saved);
            h.open();
            // And after a restore an urgent delta of one mini-batch is published at once as 2
            h.processElement(Tuple2.of("spam", a.takeDelta(true, false).encode()), 0);
            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions).extracting(ModelVersion::getVersion).containsExactly(2L);
            assertThat(versions.get(0).getParentVersion()).isEqualTo(1L);
            assertThat(versions.get(0).getExamplesSeen()).isEqualTo(24);
        }
    }
}
