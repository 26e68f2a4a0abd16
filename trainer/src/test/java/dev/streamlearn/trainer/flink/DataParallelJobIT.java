package dev.streamlearn.trainer.flink;

import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel learning of one text model (issue 15 item 1): two learner subtasks, each fed its
 * own input partition, combined into one version stream; through a failure; and from a savepoint
 * taken at two learners restored at one.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DataParallelJobIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int BATCH = 8;
    private static final int TRAIN = 960;
    private static final int HELD_OUT = 240;

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static KafkaTestTopics kafka;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        kafka = new KafkaTestTopics(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TrainingJob job(int parallelism) {
        ModelDefinition model = Fixtures.smallText(BATCH).withParallelism(parallelism);
        return new TrainingJob(
                List.of(model),
                TrainingOptions.defaults()
                        .withPublishEveryMiniBatches(10)
                        .withPublishInterval(Duration.ofSeconds(1))
                        .withMaxBatchSize(BATCH));
    }

    private static List<byte[][]> records(String topic, List<TextEvent> texts) {
        List<byte[][]> records = new ArrayList<>();
        for (TextEvent e : texts) {
            records.add(new byte[][] {utf8(e.getId()), TrainingJobIT.encode(topic, e)});
        }
        return records;
    }

    private static List<ModelVersion> awaitVersions(
            KafkaTrainingIo io, Predicate<List<ModelVersion>> done, String expected) {
        return kafka.awaitCommitted(
                io.versionsTopic(),
                TrainingJobIT::version,
                done,
                WAIT,
                expected,
                TrainingJobIT::describe);
    }

    private static Predicate<List<ModelVersion>> atLeast(long examples) {
        return vs -> vs.stream().anyMatch(v -> v.getExamplesSeen() >= examples);
    }

    private static List<ModelVersion> upTo(List<ModelVersion> versions, long examples) {
        List<ModelVersion> upTo = new ArrayList<>();
        for (ModelVersion v : versions) {
            upTo.add(v);
            if (v.getExamplesSeen() == examples) {
                break;
            }
        }
        return upTo;
    }

    private static long sum(List<SourceOffset> offsets) {
        return offsets.stream().mapToLong(SourceOffset::getOffset).sum();
    }

    @Test
    void twoLearnersPublishOneGapFreeVersionStreamThatBeatsTheMajorityClass() throws Exception {
        // Given labelled texts in a topic of two partitions, and held-out texts
        KafkaTrainingIo io = kafka.create("parallel", 2);
        List<TextEvent> texts = Datasets.spam(TRAIN + HELD_OUT);
        kafka.produce(io.textTopic(), records(io.textTopic(), texts.subList(0, TRAIN)));

        // When the text model is learned by two learner subtasks
        List<ModelVersion> versions;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job(2), io, dir.resolve("parallel"), TrainingJobIT.fastCheckpoints())) {
            versions =
                    upTo(
                            awaitVersions(
                                    io,
                                    TrainingJobIT.reached(Fixtures.TEXT_MODEL, TRAIN),
                                    "a version trained on all " + TRAIN + " texts"),
                            TRAIN);
        }

        // Then its versions are numbered 1, 2, 3, ... once each, the last trained on every text
        // of both partitions
        TrainingJobIT.assertNumberedOneTwoThree(versions);
        ModelVersion last = versions.get(versions.size() - 1);
        assertThat(last.getSourceOffsets()).hasSize(2);
        assertThat(sum(last.getSourceOffsets())).isEqualTo(TRAIN);
        assertThat(last.getMetrics()).containsEntry("examples", (double) TRAIN);
        // And its weights beat the majority class on the held-out texts
        // (light versions carry the rows that changed: the weights are rebuilt along the chain)
        HeldWeights held = null;
        for (ModelVersion v : versions) {
            held =
                    HeldWeights.of(
                            VersionContract.verify(
                                    v, VersionTrust.unsignedOnly(), Optional.ofNullable(held)));
        }
        TextClassifierModel classifier = new TextClassifierModel(held.weights());
        List<TextEvent> heldOut = texts.subList(TRAIN, TRAIN + HELD_OUT);
        double accuracy =
                heldOut.stream()
                                .filter(
                                        e ->
                                                e.getLabel()
                                                        .equals(
                                                                classifier
                                                                        .predict(e.getText())
                                                                        .label()))
                                .count()
                        / (double) HELD_OUT;
        double majority =
                heldOut.stream().filter(e -> e.getLabel().equals("ham")).count()
                        / (double) HELD_OUT;
        assertThat(accuracy)
                .as("held-out accuracy vs majority class %s; %s", majority, last.getMetrics())
                .isGreaterThan(majority);
    }

    @Test
    void aFailureMidStreamLosesNoExampleAndTrainsNoneTwice() throws Exception {
        // Given labelled texts in two partitions, half of them written now
        KafkaTrainingIo io = kafka.create("parallel-failing", 2);
        List<byte[][]> records = records(io.textTopic(), Datasets.spam(TRAIN));
        kafka.produce(io.textTopic(), records.subList(0, TRAIN / 2));

        // When a job of two learners fails once, at the first record at offset 300 of either
        // partition, and restarts from its last checkpoint
        TrainingInputs failOnce =
                (env, topic) ->
                        topic.equals(Topics.TEXT_EVENTS.name())
                                ? io.records(env, topic)
                                        .map(
                                                new FailOnce(300),
                                                TypeInformation.of(RecordOrigin.class))
                                        .uid("fail-once")
                                        .name("fail once (test)")
                                : io.records(env, topic);
        Configuration restarts = TrainingJobIT.fastCheckpoints();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        List<ModelVersion> versions;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job(2), failOnce, io, dir.resolve("parallel-failing"), restarts)) {
            awaitVersions(io, atLeast(TRAIN / 4), "a version trained on " + TRAIN / 4 + " texts");
            assertThat(FailOnce.FAILED).as("failed before offset 300").isFalse();
            kafka.produce(io.textTopic(), records.subList(TRAIN / 2, TRAIN));
            versions =
                    upTo(
                            awaitVersions(
                                    io,
                                    TrainingJobIT.reached(Fixtures.TEXT_MODEL, TRAIN),
                                    "a version trained on all " + TRAIN + " texts"),
                            TRAIN);
        }
        assertThat(FailOnce.FAILED).as("the injected failure happened").isTrue();

        // Then the committed versions are gap-free, and the last learned each text exactly once
        TrainingJobIT.assertNumberedOneTwoThree(versions);
        ModelVersion last = versions.get(versions.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(TRAIN);
        assertThat(last.getMetrics()).containsEntry("examples", (double) TRAIN);
        assertThat(sum(last.getSourceOffsets())).isEqualTo(TRAIN);
    }

    @Test
    void aSavepointTakenAtTwoLearnersRestoresAtOneAndTheVersionsGoOn() throws Exception {
        // Given a job of two learners that learned half the texts and stopped with a savepoint
        KafkaTrainingIo io = kafka.create("parallel-rescale", 2);
        List<byte[][]> records = records(io.textTopic(), Datasets.spam(TRAIN));
        kafka.produce(io.textTopic(), records.subList(0, TRAIN / 2));
        Path checkpoints = dir.resolve("parallel-rescale");
        try (TrainingJobHandle first =
                TrainingJobRunner.start(job(2), io, checkpoints, TrainingJobIT.fastCheckpoints())) {
            awaitVersions(io, atLeast(TRAIN / 4), "a version trained on " + TRAIN / 4 + " texts");
            assertThat(first.stop()).as("stopped with a savepoint").isPresent();
        }

        // When the rest arrives and the job starts again from the savepoint with one learner
        kafka.produce(io.textTopic(), records.subList(TRAIN / 2, TRAIN));
        List<ModelVersion> versions;
        try (TrainingJobHandle second =
                TrainingJobRunner.start(job(1), io, checkpoints, TrainingJobIT.fastCheckpoints())) {
            assertThat(second.restoredFrom()).as("restored from the savepoint").isPresent();
            versions =
                    upTo(
                            awaitVersions(
                                    io,
                                    TrainingJobIT.reached(Fixtures.TEXT_MODEL, TRAIN),
                                    "a version trained on all " + TRAIN + " texts"),
                            TRAIN);
        }

        // Then the versions of both runs are one gap-free stream, and the last learned every text
        // once
        TrainingJobIT.assertNumberedOneTwoThree(versions);
        ModelVersion last = versions.get(versions.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(TRAIN);
        assertThat(sum(last.getSourceOffsets())).isEqualTo(TRAIN);
    }

    /**
     * Fails the task once, on the first record at {@code offset}; its own flag, so another test
     * class's injected failure in this JVM does not count.
     */
    static final class FailOnce implements MapFunction<RecordOrigin, RecordOrigin> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final long offset;

        FailOnce(long offset) {
            this.offset = offset;
        }

        @Override
        public RecordOrigin map(RecordOrigin r) {
            if (r.offset() == offset && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("test failure injected at offset " + offset);
            }
            return r;
        }
    }
}
