package dev.streamlearn.trainer.flink;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;
import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job on a Flink MiniCluster against a real in-process Kafka broker: slices of the
 * shipped data sets in, numbered versions out under read_committed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TrainingJobIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    // After 240 texts (30 mini-batches) the small classifier is at the majority class in most
    // orders of its two input partitions, and beat it only in some; after 960 it did in all 13
    // orders tried.
    private static final int TRAIN_TEXTS = 960;
    private static final int TEST_TEXTS = 240;
    private static final int TRAIN_POINTS = 400;
    private static final int TEST_POINTS = 200;
    private static final int WINDOW = 16;
    private static final int BACKLOG_TEXTS = 20_000;

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

    static Configuration fastCheckpoints() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        return c;
    }

    static ModelVersion version(byte[] bytes) {
        return Topics.MODEL_VERSIONS
                .valueSerde()
                .deserializer()
                .deserialize("model-versions", bytes);
    }

    /**
     * The full weights of the last of {@code versions}, one model's from its first in topic order,
     * rebuilt through the deltas.
     */
    static ModelWeights lastWeights(List<ModelVersion> versions) {
        try {
            List<VerifiedVersion> full = VersionChain.verifyAll(versions);
            return full.get(full.size() - 1).weights();
        } catch (InvalidVersionException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static List<ModelVersion> of(List<ModelVersion> versions, String model) {
        return versions.stream().filter(v -> v.getModel().equals(model)).toList();
    }

    static Predicate<List<ModelVersion>> reached(String model, long examples) {
        return vs -> of(vs, model).stream().anyMatch(v -> v.getExamplesSeen() == examples);
    }

    static String describe(List<ModelVersion> vs) {
        return vs.stream()
                .map(v -> v.getModel() + " v" + v.getVersion() + " (" + v.getExamplesSeen() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static void assertNumberedOneTwoThree(List<ModelVersion> versions) {
        List<Long> numbers = versions.stream().map(ModelVersion::getVersion).toList();
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= versions.size(); i++) {
            expected.add(i);
        }
        assertThat(numbers).as("version numbers, in topic order").isEqualTo(expected);
        for (ModelVersion v : versions) {
            assertThat(v.getParentVersion())
                    .isEqualTo(v.getVersion() == 1 ? null : v.getVersion() - 1);
        }
        assertThat(versions)
                .extracting(ModelVersion::getExamplesSeen)
                .isSortedAccordingTo(Long::compare);
    }

    @Test
    void publishesVersionsNumberedOneTwoThreeThatBeatTheBaselineOnTheNextSlice() throws Exception {
        // Given SpamAssassin texts (with unlabelled and unreadable records among them) and a US
        // births series in their topics
        KafkaTrainingIo io = kafka.create("happy", 2);
        List<TextEvent> spam = Datasets.spam(TRAIN_TEXTS + TEST_TEXTS);
        List<byte[][]> texts = new ArrayList<>();
        for (int i = 0; i < TRAIN_TEXTS; i++) {
            TextEvent e = spam.get(i);
            texts.add(new byte[][] {utf8(e.getId()), encode(io.textTopic(), e)});
            if (i % 60 == 30) {
                texts.add(new byte[][] {utf8("garbage-" + i), utf8("not avro at all")});
                TextEvent unlabelled = TextEvent.newBuilder(e).setLabel(null).build();
                texts.add(new byte[][] {utf8("u-" + i), encode(io.textTopic(), unlabelled)});
            }
        }
        kafka.produce(io.textTopic(), texts);
        double[] births =
                Datasets.series("us-births-1969-1988.csv", "births", TRAIN_POINTS + TEST_POINTS);
        List<byte[][]> points = new ArrayList<>();
        for (int i = 0; i < TRAIN_POINTS; i++) {
            SeriesPoint p =
                    new SeriesPoint("births", Instant.ofEpochSecond(86_400L * i), births[i]);
            points.add(
                    new byte[][] {
                        utf8("births"),
                        Topics.SERIES_POINTS
                                .valueSerde()
                                .serializer()
                                .serialize(io.seriesTopic(), p)
                    });
        }
        kafka.produce(io.seriesTopic(), points);

        // When the job trains both models, publishing every 5 mini-batches or 1 s, mini-batches
        // fixed at 8 (the whole input waits in the topics before the job starts, so they would
        // otherwise grow: see aBacklogGrowsTheMiniBatchesAndEveryLabelledTextIsStillLearned)
        TrainingJob job =
                new TrainingJob(
                        List.of(Fixtures.smallText(8), Fixtures.smallSeries(WINDOW, 8)),
                        TrainingOptions.defaults()
                                .withPublishEveryMiniBatches(5)
                                .withPublishInterval(Duration.ofSeconds(1))
                                .withMaxBatchSize(8));
        List<ModelVersion> versions;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job, io, dir.resolve("happy-checkpoints"), fastCheckpoints())) {
            versions =
                    kafka.awaitCommitted(
                            io.versionsTopic(),
                            TrainingJobIT::version,
                            reached(Fixtures.TEXT_MODEL, TRAIN_TEXTS)
                                    .and(reached(Fixtures.SERIES_MODEL, TRAIN_POINTS - WINDOW)),
                            WAIT,
                            "a text version trained on all "
                                    + TRAIN_TEXTS
                                    + " labelled texts and a series version on all "
                                    + (TRAIN_POINTS - WINDOW)
                                    + " windows",
                            TrainingJobIT::describe);
        }

        // Then each model's versions are numbered 1, 2, 3, ... without gap or duplicate
        List<ModelVersion> text = of(versions, Fixtures.TEXT_MODEL);
        List<ModelVersion> series = of(versions, Fixtures.SERIES_MODEL);
        assertNumberedOneTwoThree(text);
        assertNumberedOneTwoThree(series);
        assertThat(text.size()).isGreaterThanOrEqualTo(TRAIN_TEXTS / 8 / 5);

        // And the offsets of the last text version cover every record of the text topic
        ModelVersion lastText = text.get(text.size() - 1);
        long consumed =
                lastText.getSourceOffsets().stream().mapToLong(SourceOffset::getOffset).sum();
        assertThat(consumed).isBetween((long) TRAIN_TEXTS, (long) texts.size());

        // And the refused records are in dead-letters with where they came from and why
        List<DeadLetter> dead =
                kafka.awaitCommitted(
                        io.deadLettersTopic(),
                        b -> Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("d", b),
                        d -> d.size() >= 4,
                        WAIT,
                        "4 dead letters (the unreadable texts)",
                        Object::toString);
        assertThat(dead)
                .allSatisfy(
                        d -> {
                            assertThat(d.getSourceTopic()).isEqualTo(io.textTopic());
                            assertThat(d.getStage()).isEqualTo("trainer");
                            assertThat(d.getError()).contains("TextEvent");
                            assertThat(copyOf(d.getOriginalValue()))
                                    .isEqualTo(utf8("not avro at all"));
                        });

        // And the last weights, decoded with the models codec, beat each baseline on the next
        // slice
        TextClassifierModel classifier = new TextClassifierModel(lastWeights(text));
        List<TextEvent> next = spam.subList(TRAIN_TEXTS, TRAIN_TEXTS + TEST_TEXTS);
        double accuracy =
                next.stream()
                                .filter(
                                        e ->
                                                e.getLabel()
                                                        .equals(
                                                                classifier
                                                                        .predict(e.getText())
                                                                        .label()))
                                .count()
                        / (double) next.size();
        double majority =
                next.stream().filter(e -> e.getLabel().equals("ham")).count()
                        / (double) next.size();
        assertThat(accuracy)
                .as("accuracy vs majority class %s; %s", majority, lastText.getMetrics())
                .isGreaterThan(majority);

        ModelVersion lastSeries = series.get(series.size() - 1);
        LstmForecasterModel forecaster = new LstmForecasterModel(lastWeights(series));
        assertThat(forecaster.weights().spec().get(LstmForecasterSpec.WINDOW)).isEqualTo(WINDOW);
        double modelError = 0;
        double persistenceError = 0;
        for (int i = TRAIN_POINTS; i < TRAIN_POINTS + TEST_POINTS; i++) {
            modelError += Math.abs(births[i] - forecaster.forecast(births, i - WINDOW));
            persistenceError += Math.abs(births[i] - births[i - 1]);
        }
        assertThat(modelError / TEST_POINTS)
                .as("MAE vs persistence MAE %s", persistenceError / TEST_POINTS)
                .isLessThan(persistenceError / TEST_POINTS);
    }

    @Test
    void aBacklogGrowsTheMiniBatchesAndEveryLabelledTextIsStillLearned() throws Exception {
        // Given 20,000 labelled texts (the spam sample over and over) waiting in their topic
        // before the job starts: a backlog of a few seconds for the fast learner
        KafkaTrainingIo io = kafka.create("backlog", 2);
        List<TextEvent> spam = Datasets.spam(TRAIN_TEXTS);
        List<byte[][]> texts = new ArrayList<>();
        for (int i = 0; i < BACKLOG_TEXTS; i++) {
            TextEvent e = spam.get(i % spam.size());
            texts.add(new byte[][] {utf8(e.getId()), encode(io.textTopic(), e)});
        }
        kafka.produce(io.textTopic(), texts);

        // When the job learns with the default mini-batch sizing (8, growing up to 256 while its
        // lag is over 1 s), publishing every 200 ms so that versions come while it catches up
        TrainingJob job =
                new TrainingJob(
                        List.of(Fixtures.smallText(8)),
                        TrainingOptions.defaults().withPublishInterval(Duration.ofMillis(200)));
        List<TrainingMetrics> figures;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job, io, dir.resolve("backlog-checkpoints"), fastCheckpoints())) {
            kafka.awaitCommitted(
                    io.versionsTopic(),
                    TrainingJobIT::version,
                    reached(Fixtures.TEXT_MODEL, BACKLOG_TEXTS),
                    WAIT,
                    "a version trained on all " + BACKLOG_TEXTS + " texts",
                    TrainingJobIT::describe);
            figures =
                    kafka.awaitCommitted(
                            io.metricsTopic(),
                            b ->
                                    Topics.TRAINING_METRICS
                                            .valueSerde()
                                            .deserializer()
                                            .deserialize("m", b),
                            ms -> ms.stream().anyMatch(m -> m.getExamplesSeen() == BACKLOG_TEXTS),
                            WAIT,
                            "training metrics of the version trained on all texts",
                            Object::toString);
        }

        // Then the learner took larger mini-batches while it was behind, said so with its lag in
        // training-metrics, and still learned every text: the last, part-filled mini-batch was
        // fitted when no more texts came (the version above has seen all of them)
        assertThat(figures)
                .as("mini-batch sizes while behind")
                .anySatisfy(
                        m -> {
                            assertThat(m.getBatchSize()).isGreaterThan(8);
                            assertThat(m.getLagMillis()).isGreaterThan(1_000L);
                        });
        assertThat(figures).allSatisfy(m -> assertThat(m.getBatchSize()).isBetween(8, 256));
    }

    static byte[] encode(String topic, TextEvent e) {
        return Topics.TEXT_EVENTS.valueSerde().serializer().serialize(topic, e);
    }
}
