package dev.streamlearn.trainer.flink;

import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.family.TrainingInputs;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once training through a failure: the job fails once mid-stream and restarts from its last
 * checkpoint; the published versions and the final parameters must be those of a run that never
 * failed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TrainingJobFailureIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int BATCH = 8;
    private static final int EVERY = 4; // mini-batches per version: 32 examples
    private static final int TEXTS = 160; // 5 versions
    private static final int FIRST_HALF = 80;
    private static final long FAIL_AT_OFFSET = 100;

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

    private static TrainingJob job() {
        // Versions by count only (the interval never fires) and mini-batches of a fixed size
        // (sizes that follow the lag would cut a replay's mini-batches elsewhere), so both runs
        // publish at the same examples and can be compared version by version.
        return new TrainingJob(
                List.of(Fixtures.smallText(BATCH)),
                TrainingOptions.defaults()
                        .withPublishEveryMiniBatches(EVERY)
                        .withPublishInterval(Duration.ofHours(1))
                        .withMaxBatchSize(BATCH));
    }

    private static List<ModelVersion> awaitVersions(KafkaTrainingIo io, long examples) {
        return kafka.awaitCommitted(
                io.versionsTopic(),
                TrainingJobIT::version,
                TrainingJobIT.reached(Fixtures.TEXT_MODEL, examples),
                WAIT,
                "a version that has seen " + examples + " examples",
                TrainingJobIT::describe);
    }

    @Test
    void afterAFailureTheVersionsAndFinalParametersEqualThoseOfARunWithoutFailure()
            throws Exception {
        // Given 160 labelled texts in a single-partition topic, the first 80 written now
        KafkaTrainingIo failing = kafka.create("failing", 1);
        List<TextEvent> spam = Datasets.spam(TEXTS);
        List<byte[][]> records = new ArrayList<>();
        for (TextEvent e : spam) {
            records.add(
                    new byte[][] {utf8(e.getId()), TrainingJobIT.encode(failing.textTopic(), e)});
        }
        kafka.produce(failing.textTopic(), records.subList(0, FIRST_HALF));

        // When a job that fails once at offset 100 runs, with restarts allowed
        TrainingInputs failOnce =
                (env, topic) ->
                        topic.equals(Topics.TEXT_EVENTS.name())
                                ? failing.records(env, topic)
                                        .map(
                                                new FailOnceAtOffset(FAIL_AT_OFFSET),
                                                TypeInformation.of(RecordOrigin.class))
                                        .uid("fail-once")
                                        .name("fail once (test)")
                                : failing.records(env, topic);
        Configuration restarts = TrainingJobIT.fastCheckpoints();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        List<ModelVersion> withFailure;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job(), failOnce, failing, dir.resolve("failing-checkpoints"), restarts)) {
            // (a committed version proves a checkpoint holds learned state before the failure)
            awaitVersions(failing, 2L * EVERY * BATCH);
            assertThat(FailOnceAtOffset.FAILED)
                    .as("failed before offset %d", FAIL_AT_OFFSET)
                    .isFalse();
            kafka.produce(failing.textTopic(), records.subList(FIRST_HALF, TEXTS));
            withFailure = awaitVersions(failing, TEXTS);
        }
        assertThat(FailOnceAtOffset.FAILED).as("the injected failure happened").isTrue();

        // And a job without failure learns the same topic into fresh outputs
        KafkaTrainingIo fresh = kafka.create("fresh", 1);
        KafkaTrainingIo sameInput =
                new KafkaTrainingIo(
                        fresh.bootstrap(),
                        fresh.name(),
                        fresh.seriesTopic(),
                        failing.textTopic(),
                        fresh.versionsTopic(),
                        fresh.metricsTopic(),
                        fresh.deadLettersTopic());
        List<ModelVersion> withoutFailure;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job(),
                        sameInput,
                        dir.resolve("fresh-checkpoints"),
                        TrainingJobIT.fastCheckpoints())) {
            withoutFailure = awaitVersions(sameInput, TEXTS);
        }

        // Then the versions after the failure are 1..5 without gap or duplicate
        TrainingJobIT.assertNumberedOneTwoThree(withFailure);
        assertThat(withFailure).hasSize(TEXTS / (EVERY * BATCH));
        // And no example was trained twice or lost
        ModelVersion last = withFailure.get(withFailure.size() - 1);
        assertThat(last.getExamplesSeen()).isEqualTo(TEXTS);
        assertThat(last.getMetrics()).containsEntry("examples", (double) TEXTS);
        // And every version, the last one included, has bitwise the parameters of the run
        // without failure
        assertThat(withFailure).hasSameSizeAs(withoutFailure);
        List<VerifiedVersion> fullWithFailure = VersionChain.verifyAll(withFailure);
        List<VerifiedVersion> fullWithoutFailure = VersionChain.verifyAll(withoutFailure);
        for (int i = 0; i < withFailure.size(); i++) {
            ModelVersion a = withFailure.get(i);
            ModelVersion b = withoutFailure.get(i);
            assertThat(a.getVersion()).isEqualTo(b.getVersion());
            assertThat(a.getExamplesSeen()).isEqualTo(b.getExamplesSeen());
            assertThat(a.getWeightsSha256())
                    .as("SHA-256 of the parameters of version %d", a.getVersion())
                    .isEqualTo(b.getWeightsSha256());
            // (the first version after the restore is full where the other run's was a delta)
            assertThat(fullWithFailure.get(i).weights())
                    .isEqualTo(fullWithoutFailure.get(i).weights());
            assertThat(a.getMetrics()).isEqualTo(b.getMetrics());
            assertThat(a.getSourceOffsets()).isEqualTo(b.getSourceOffsets());
        }
    }

    @Test
    void aRestartWithTheSameCheckpointDirectoryContinuesTheVersionNumbers() throws Exception {
        // Given a job that learned the first 80 texts and was stopped
        KafkaTrainingIo io = kafka.create("restart", 1);
        List<byte[][]> records = new ArrayList<>();
        for (TextEvent e : Datasets.spam(TEXTS)) {
            records.add(new byte[][] {utf8(e.getId()), TrainingJobIT.encode(io.textTopic(), e)});
        }
        kafka.produce(io.textTopic(), records.subList(0, FIRST_HALF));
        Path checkpoints = dir.resolve("restart-checkpoints");
        try (TrainingJobHandle first =
                TrainingJobRunner.start(job(), io, checkpoints, TrainingJobIT.fastCheckpoints())) {
            assertThat(first.restoredFrom()).isEmpty();
            awaitVersions(io, 2L * EVERY * BATCH);
            assertThat(first.stop()).as("stopped with a savepoint").isPresent();
        }
        // When it is started again with the same checkpoint directory and the rest arrives
        kafka.produce(io.textTopic(), records.subList(FIRST_HALF, TEXTS));
        List<ModelVersion> versions;
        try (TrainingJobHandle second =
                TrainingJobRunner.start(job(), io, checkpoints, TrainingJobIT.fastCheckpoints())) {
            assertThat(second.restoredFrom()).as("restored from the savepoint").isPresent();
            versions = awaitVersions(io, TEXTS);
        }
        // Then the versions go on from where the first run stopped: 1..5, each once
        TrainingJobIT.assertNumberedOneTwoThree(versions);
        assertThat(versions)
                .extracting(ModelVersion::getExamplesSeen)
                .containsExactly(32L, 64L, 96L, 128L, 160L);
    }
}
