package dev.streamlearn.trainer.flink;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.PublishedVersion;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The learner operator in Flink's operator test harness: publishing, timers, snapshot/restore. */
class LearnerOperatorTest {
    private static final int BATCH = 4;
    private static final int SERIES_WINDOW = 8;
    private static final SeriesWindows SERIES_WINDOWS =
            new SeriesWindows(Fixtures.smallSeries(SERIES_WINDOW, BATCH).modelSpec());
    private static List<TextEvent> spam;
    private static double[] births;

    @BeforeAll
    static void readData() {
        spam = Datasets.spam(48);
        births = Datasets.series("us-births-1969-1988.csv", "births", 48 + SERIES_WINDOW);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion>
            harness(TrainingOptions options) throws Exception {
        return harness(Fixtures.smallText(BATCH), options);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion>
            harness(ModelDefinition model, TrainingOptions options) throws Exception {
        LearnerOperator operator = new LearnerOperator(List.of(model), options);
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, new TrainingJob.ByModel(), Types.STRING);
        h.setup(
                new AvroTypeInfo<>(ModelVersion.class)
                        .createSerializer(new SerializerConfigImpl()));
        return h;
    }

    private static TrainingOptions everyMiniBatches(int n) {
        return TrainingOptions.defaults()
                .withPublishEveryMiniBatches(n)
                .withPublishInterval(Duration.ofSeconds(5));
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement(new StreamRecord<>(Fixtures.labelled(i, spam.get(i))));
        }
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h,
            IntFunction<TrainingInput> input,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement(new StreamRecord<>(input.apply(i)));
        }
    }

    private static List<ModelVersion> versions(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h) {
        return h.extractOutputValues();
    }

    @Test
    void publishesANewVersionAfterEveryMiniBatchInterval() throws Exception {
        // Given versions every 2 mini-batches of 4
        try (var h = harness(everyMiniBatches(2))) {
            h.open();
            // When 16 labelled texts arrive (4 mini-batches)
            feed(h, 0, 16);
            // Then versions 1 and 2 were published, each after 8 more examples
            List<ModelVersion> v = versions(h);
            assertThat(v).extracting(ModelVersion::getVersion).containsExactly(1L, 2L);
            assertThat(v).extracting(ModelVersion::getParentVersion).containsExactly(null, 1L);
            assertThat(v).extracting(ModelVersion::getExamplesSeen).containsExactly(8L, 16L);
            assertThat(h.getSideOutput(JobStreams.TRAINING_METRICS))
                    .extracting(r -> r.getValue().getVersion())
                    .containsExactly(1L, 2L);
            // And a publish by count leaves no publish timer behind
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void publishesAfterThePublishIntervalWhenFewMiniBatchesArrive() throws Exception {
        // Given versions every 100 mini-batches or 5 s
        try (var h = harness(everyMiniBatches(100))) {
            h.open();
            h.setProcessingTime(1_000);
            // When one mini-batch is fitted
            feed(h, 0, BATCH);
            // Then nothing is published yet, and one timer waits 5 s
            assertThat(versions(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            // When 5 s pass
            h.setProcessingTime(6_000);
            // Then version 1 is published at that time and no timer is left
            assertThat(versions(h)).extracting(ModelVersion::getVersion).containsExactly(1L);
            assertThat(versions(h).get(0).getCreatedAt().toEpochMilli()).isEqualTo(6_000);
            assertThat(h.numProcessingTimeTimers()).isZero();
            // And with nothing new learned, later time publishes nothing more
            h.setProcessingTime(60_000);
            assertThat(versions(h)).hasSize(1);
        }
    }

    @Test
    void aVersionCarriesDecodableWeightsOffsetsAndPrequentialMetrics() throws Exception {
        try (var h = harness(everyMiniBatches(3))) {
            h.open();
            // When 12 texts at offsets 0..11 of partition 0 are learned
            feed(h, 0, 12);
            ModelVersion v = versions(h).get(0);
            // Then the weights decode with the models codec and match the published checksum
            ModelWeights weights = WeightsCodec.decode(copyOf(v.getWeights()));
            assertThat(WeightsCodec.sha256Hex(weights.params())).isEqualTo(v.getWeightsSha256());
            assertThat(v.getSpec()).isEqualTo(weights.spec().toMap());
            assertThat(v.getKind()).isEqualTo("text-classifier");
            // And the offsets say every record up to offset 11 was consumed
            assertThat(v.getSourceOffsets())
                    .containsExactly(new SourceOffset("text-events", 0, 12L));
            // And prequential metrics of the model and its baseline cover all 12 examples
            assertThat(v.getMetrics())
                    .containsEntry("examples", 12.0)
                    .containsKeys("accuracy", "logLoss", "baseline.accuracy", "baseline.logLoss");
            TrainingMetrics m = h.getSideOutput(JobStreams.TRAINING_METRICS).peek().getValue();
            assertThat(m.getLoss()).isFinite();
            assertThat(m.getMetrics()).isEqualTo(v.getMetrics());
        }
    }

    @Test
    void snapshotThenRestoreContinuesWithBitwiseIdenticalParameters() throws Exception {
        snapshotThenRestoreContinuesIdentically(
                Fixtures.smallText(BATCH), LearnerOperatorTest::text);
    }

    @Test
    void aForecasterOfEitherEngineRestoresIdenticallyThroughTheOperator() throws Exception {
        for (String engine : List.of(Engine.FAST, Engine.DL4J)) {
            ModelDefinition model =
                    ModelDefinition.of(
                            Fixtures.SERIES_MODEL,
                            Fixtures.smallSeries(SERIES_WINDOW, BATCH)
                                    .modelSpec()
                                    .with(LstmForecasterSpec.ENGINE, engine));
            List<ModelVersion> versions =
                    snapshotThenRestoreContinuesIdentically(model, LearnerOperatorTest::series);
            assertThat(
                            WeightsCodec.decode(copyOf(versions.get(0).getWeights()))
                                    .spec()
                                    .get(LstmForecasterSpec.ENGINE))
                    .isEqualTo(engine);
        }
    }

    private static TrainingInput text(int i) {
        return Fixtures.labelled(i, spam.get(i));
    }

    /** Point {@code i + W} of US births with the W points before it. */
    private static TrainingInput series(int i) {
        var p = Fixtures.point("births", i, births[i + SERIES_WINDOW]);
        return TrainingInput.seriesPoint(
                        Fixtures.SERIES_MODEL,
                        Fixtures.seriesRecord("series-points", 0, i, p),
                        "births",
                        i,
                        p.getValue())
                .withWindow(SERIES_WINDOWS.normalise(births, i));
    }

    @Test
    void theDl4jEngineTrainsAndRestoresThroughTheOperatorToo() throws Exception {
        ModelDefinition dl4j =
                ModelDefinition.of(
                        Fixtures.TEXT_MODEL,
                        Fixtures.smallText(BATCH)
                                .modelSpec()
                                .with(TextClassifierSpec.ENGINE, Engine.DL4J));
        List<ModelVersion> versions =
                snapshotThenRestoreContinuesIdentically(dl4j, LearnerOperatorTest::text);
        assertThat(
                        WeightsCodec.decode(copyOf(versions.get(0).getWeights()))
                                .spec()
                                .get(TextClassifierSpec.ENGINE))
                .isEqualTo(Engine.DL4J);
    }

    /** Returns the versions the restored operator published. */
    private List<ModelVersion> snapshotThenRestoreContinuesIdentically(
            ModelDefinition model, IntFunction<TrainingInput> input) throws Exception {
        TrainingOptions options = everyMiniBatches(1);
        // Given a learner that has seen 18 examples (4 full mini-batches and 2 pending examples)
        OperatorSubtaskState snapshot;
        List<ModelVersion> uninterrupted;
        try (var h = harness(model, options)) {
            h.open();
            feed(h, input, 0, 18);
            snapshot = h.snapshot(1, 1);
            // When the same learner goes on with 22 more
            feed(h, input, 18, 40);
            uninterrupted = versions(h).subList(4, versions(h).size());
        }
        // And a new operator restored from the snapshot gets the same 22
        List<ModelVersion> restored;
        try (var h = harness(model, options)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, input, 18, 40);
            restored = versions(h);
        }
        // Then both publish the same versions with bitwise-identical parameters
        assertThat(restored).hasSize(uninterrupted.size()).isNotEmpty();
        for (int i = 0; i < restored.size(); i++) {
            ModelVersion a = uninterrupted.get(i);
            ModelVersion b = restored.get(i);
            assertThat(b.getVersion()).isEqualTo(a.getVersion());
            assertThat(b.getParentVersion()).isEqualTo(a.getParentVersion());
            assertThat(b.getExamplesSeen()).isEqualTo(a.getExamplesSeen());
            assertThat(b.getWeightsSha256())
                    .as("parameters of version %d", a.getVersion())
                    .isEqualTo(a.getWeightsSha256());
            assertThat(b.getMetrics()).isEqualTo(a.getMetrics());
            assertThat(b.getSourceOffsets()).isEqualTo(a.getSourceOffsets());
        }
        assertThat(restored.get(0).getVersion()).isEqualTo(5L);
        return restored;
    }

    @Test
    void aPendingPublishTimerSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(everyMiniBatches(100))) {
            h.open();
            h.setProcessingTime(0);
            feed(h, 0, BATCH);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(everyMiniBatches(100))) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(5_000);
            assertThat(versions(h)).extracting(ModelVersion::getVersion).containsExactly(1L);
        }
    }

    @Test
    void anExampleTheLearnerRefusesBecomesADeadLetter() throws Exception {
        try (var h = harness(everyMiniBatches(1))) {
            h.open();
            TextEvent bad =
                    TextEvent.newBuilder(spam.get(0)).setLabel("spam,ham").setId("bad-1").build();
            h.processElement(new StreamRecord<>(Fixtures.labelled(7, bad)));
            DeadLetter d = h.getSideOutput(JobStreams.DEAD_LETTERS).peek().getValue();
            assertThat(d.getSourceTopic()).isEqualTo("text-events");
            assertThat(d.getOffset()).isEqualTo(7L);
            assertThat(d.getStage()).isEqualTo("trainer");
            assertThat(d.getError()).contains("text-classifier").contains("must not contain ','");
            assertThat(copyOf(d.getOriginalKey())).isEqualTo("bad-1".getBytes());
        }
    }

    @Test
    void aModelWithoutSavedStateContinuesAfterItsPublishedVersionFromItsWeights() throws Exception {
        // Given version 2 of the model on model-versions, and a job with no state for it (its
        // checkpoint directory was lost)
        ModelVersion v2;
        List<VerifiedVersion> full;
        try (var first = harness(everyMiniBatches(2))) {
            first.open();
            feed(first, 0, 16);
            v2 = versions(first).get(1);
            full = VersionChain.verifyAll(versions(first));
        }
        // (a delta of version 1, whose full weights the reader of model-versions rebuilt)
        assertThat(v2.getDeltaOf()).isEqualTo(1L);
        PublishedVersion published =
                new PublishedVersion(
                        v2,
                        VersionTrust.unsignedOnly(),
                        WeightsCodec.encode(full.get(0).weights()));
        // (carried inside the job graph by Java serialization)
        ModelDefinition continuing =
                InstantiationUtil.clone(Fixtures.smallText(BATCH).continuingAfter(published));
        // Then its learner starts from version 2's weights, with version 2's labels
        ModelWeights start = TrainingFamilies.newTrainer(continuing).weights();
        assertThat(start).isEqualTo(full.get(1).weights());
        // And the first version it publishes is 3, with 2 as parent
        try (var h = harness(continuing, everyMiniBatches(2))) {
            h.open();
            feed(h, 16, 24);
            assertThat(versions(h)).extracting(ModelVersion::getVersion).containsExactly(3L);
            assertThat(versions(h)).extracting(ModelVersion::getParentVersion).containsExactly(2L);
        }
    }

    @Test
    void aModelResizedSincePublishingStartsFromNewWeightsButKeepsCounting() throws Exception {
        // Given version 1 of the model with embedding 8 on model-versions
        ModelVersion v1;
        try (var first = harness(everyMiniBatches(1))) {
            first.open();
            feed(first, 0, BATCH);
            v1 = versions(first).get(0);
        }
        // When the model is now configured with embedding 16
        ModelDefinition resized =
                ModelDefinition.of(
                                Fixtures.TEXT_MODEL,
                                Fixtures.smallText(BATCH)
                                        .modelSpec()
                                        .with(TextClassifierSpec.EMBEDDING_SIZE, 16))
                        .continuingAfter(new PublishedVersion(v1));
        // Then it starts from its own initialisation (the shapes differ) as version 2 onwards
        assertThat(
                        TrainingFamilies.newTrainer(resized)
                                .weights()
                                .spec()
                                .get(TextClassifierSpec.EMBEDDING_SIZE))
                .isEqualTo(16);
        try (var h = harness(resized, everyMiniBatches(1))) {
            h.open();
            feed(h, 0, BATCH);
            assertThat(versions(h)).extracting(ModelVersion::getVersion).containsExactly(2L);
        }
    }

    @Test
    void growsItsMiniBatchesWhileBehindItsInputAndShrinksThemOnceCaughtUp() throws Exception {
        // Given a version after every fit, mini-batches of 4 that may grow to 16, target lag 1 s
        try (var h = harness(everyMiniBatches(1).withMaxBatchSize(16))) {
            h.open();
            h.setProcessingTime(10_000);
            // When 20 texts appended 6 s ago arrive (the trainer is behind), then 5 fresh ones
            feedAppendedAt(h, 4_000, 0, 20);
            feedAppendedAt(h, 10_000, 20, 25);
            // Then each fit while behind doubled the next mini-batch (4 → 8 → 16); the first fresh
            // text took it back to the spec's 4 and was fitted with the 8 texts still buffered
            List<TrainingMetrics> metrics =
                    h.getSideOutput(JobStreams.TRAINING_METRICS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(metrics)
                    .extracting(TrainingMetrics::getExamplesSeen)
                    .containsExactly(4L, 12L, 21L, 25L);
            assertThat(metrics)
                    .extracting(TrainingMetrics::getBatchSize)
                    .containsExactly(8, 16, 4, 4);
            assertThat(metrics)
                    .extracting(TrainingMetrics::getLagMillis)
                    .containsExactly(6_000L, 6_000L, 0L, 0L);
        }
    }

    /** Labelled texts {@code from..to} whose records were appended at {@code appendedAt}. */
    private static void feedAppendedAt(
            KeyedOneInputStreamOperatorTestHarness<String, TrainingInput, ModelVersion> h,
            long appendedAt,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            TextEvent e =
                    TextEvent.newBuilder(spam.get(i % spam.size()))
                            .setEventTime(Instant.ofEpochMilli(appendedAt))
                            .build();
            h.processElement(new StreamRecord<>(Fixtures.labelled(i, e)));
        }
    }
}
