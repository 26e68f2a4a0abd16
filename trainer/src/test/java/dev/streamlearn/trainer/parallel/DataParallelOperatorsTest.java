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
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** The states the combiner sent, in order. */
    private static final List<FeedVersion> SENT = new CopyOnWriteArrayList<>();

    /** Nothing ever comes back to the learners (what they do on their own); sends are recorded. */
    private static final VersionFeed.Factory SILENT =
            new VersionFeed.Factory() {
                @Override
                public VersionFeed open(String model, String client) {
                    return new VersionFeed() {
                        @Override
                        public List<FeedVersion> take() {
                            return List.of();
                        }

                        @Override
                        public void await(Duration timeout) {}

                        @Override
                        public void close() {}
                    };
                }

                @Override
                public VersionFeed.Sink sink(String client) {
                    return new VersionFeed.Sink() {
                        @Override
                        public void send(String model, FeedVersion state) {
                            SENT.add(state);
                        }

                        @Override
                        public void close() {}
                    };
                }
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
                                List.of(MODEL),
                                Map.of("spam", 2),
                                OPTIONS,
                                Combiner.Rule.SUM,
                                SILENT),
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
    void theCombinerFeedsEveryDeltaBackAtOnceAndPublishesOnThePolicyAlsoAfterARestore()
            throws Exception {
        // Given deltas of two learners, each of one mini-batch
        SENT.clear();
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
            // When the first arrives, asking for G whole, nothing is published (the policy is
            // every 2 mini-batches) but its rows and then G whole are fed back as state 1
            Delta first = a.takeDelta(false, true);
            h.processElement(Tuple2.of("spam", first.encode()), 0);
            assertThat(h.extractOutputValues().size()).isZero();
            assertThat(SENT).extracting(FeedVersion::sequence).containsExactly(1L, 1L);
            assertThat(SENT.get(0).rows()).isEqualTo(first.rows());
            assertThat(SENT.get(1).whole()).isTrue();
            // Then the second completes the policy: version 1, with both learners' texts, and
            // state 2 carries only its rows
            h.processElement(Tuple2.of("spam", b.takeDelta().encode()), 0);
            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions).extracting(ModelVersion::getVersion).containsExactly(1L);
            assertThat(versions.get(0).getExamplesSeen()).isEqualTo(16);
            assertThat(versions.get(0).getSourceOffsets())
                    .extracting(SourceOffset::getOffset)
                    .containsExactlyInAnyOrder(8L, 8L);
            assertThat(SENT).hasSize(3);
            assertThat(SENT.get(2).sequence()).isEqualTo(2L);
            assertThat(SENT.get(2).whole()).isFalse();
            assertThat(SENT.get(2).sourceOffsets().values()).containsExactlyInAnyOrder(8L, 8L);
            saved = h.snapshot(1, 1);
        }
        long epoch = SENT.get(0).epoch();
        for (int i = 16; i < 24; i++) {
            a.offer(text(0, i - 8, texts.get(i)), 0);
        }
        try (var h = combiner()) {
            h.initializeState(saved);
            h.open();
            // And after a restore an urgent delta is fed back at once under a new epoch, and
            // published as version 2 on the policy's interval
            h.processElement(Tuple2.of("spam", a.takeDelta(true, false).encode()), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(SENT).hasSize(4);
            assertThat(SENT.get(3).epoch()).isNotEqualTo(epoch);
            assertThat(SENT.get(3).sequence()).isEqualTo(1L);
            h.setProcessingTime(OPTIONS.publishInterval().toMillis());
            List<ModelVersion> versions = h.extractOutputValues();
            assertThat(versions).extracting(ModelVersion::getVersion).containsExactly(2L);
            assertThat(versions.get(0).getParentVersion()).isEqualTo(1L);
            assertThat(versions.get(0).getExamplesSeen()).isEqualTo(24);
        }
    }
}
