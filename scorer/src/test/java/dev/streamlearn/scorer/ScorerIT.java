package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.registry.ModelControls;
import dev.streamlearn.scorer.registry.RegistryReader;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scorer instances on a real broker share the partitions: every event is scored exactly once
 * (read_committed), each score names the version, a new version takes over without a restart, and a
 * pin written by `streamlearn models pin` reaches both instances.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ScorerIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static TopicClients topics;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        topics = new TopicClients(broker.bootstrapServers(), WAIT);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void twoInstancesScoreEveryEventOnceWithTheNewestOrPinnedVersion() throws Exception {
        topics.publish(ModelVersions.text(1));
        topics.publish(ModelVersions.series(1));
        ScorerApp closed;
        try (ScorerApp first = start("one");
                ScorerApp second = start("two")) {
            closed = first;
            assertThat(first.awaitRunning(WAIT)).as("first instance running").isTrue();
            assertThat(second.awaitRunning(WAIT)).as("second instance running").isTrue();

            List<String> firstIds = sendTexts("a", 200);
            sendPoints("mote-", 4, 0, 25);
            List<TextScore> firstScores = topics.await(Topics.TEXT_SCORES, 200, s -> true);
            List<SeriesScore> seriesScores =
                    topics.await(
                            Topics.SERIES_SCORES, 100, s -> s.getSeriesId().startsWith("mote-"));

            assertThat(firstScores)
                    .extracting(TextScore::getEventId)
                    .containsExactlyInAnyOrderElementsOf(firstIds);
            assertThat(firstScores).allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(1));
            assertThat(seriesScores).allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(1));
            assertThat(seriesScores)
                    .filteredOn(s -> s.getForecast() != null)
                    .hasSizeGreaterThan(50);
            long firstShare = first.metrics().textScored.sum() + first.metrics().seriesScored.sum();
            long secondShare =
                    second.metrics().textScored.sum() + second.metrics().seriesScored.sum();
            assertThat(firstShare + secondShare).isEqualTo(300);
            assertThat(firstShare).as("the first instance's share").isPositive();
            assertThat(secondShare).as("the second instance's share").isPositive();

            topics.publish(ModelVersions.text(2));
            List<TextScore> newer = sendUntilScoredWith("b", 2);
            assertThat(newer).isNotEmpty();

            RegistryState read =
                    RegistryReader.readAll(
                            broker.bootstrapServers(), 5, VersionTrust.unsignedOnly(), WAIT);
            assertThat(read.model("text-classifier").orElseThrow().heldVersions())
                    .containsExactly(1L, 2L);
            ModelControls.pin(
                    broker.bootstrapServers(), "text-classifier", 1, "roll back in a test");
            assertThat(sendUntilScoredWith("c", 1)).isNotEmpty();
            assertThat(first.registry()).as("the registry of a running instance").isPresent();
        }
        // A stopped instance has no registry to show, rather than failing whoever asks.
        assertThat(closed.registry()).isEmpty();
    }

    @Test
    void aNewInstanceWithoutLocalStateContinuesEachSeriesFromTheChangelog() throws Exception {
        // Series state lives in a cached store: points update the cache, and only commits write
        // it to RocksDB and the changelog. An instance on an empty state directory must restore
        // each series' window and its kept forecast of the next point from that changelog.
        topics.publish(
                ModelVersions.series(1)); // if the other test ran first: refused as not newer
        Predicate<SeriesScore> ours = s -> s.getSeriesId().startsWith("restart-");
        try (ScorerApp before = start("before-restart")) {
            assertThat(before.awaitRunning(WAIT)).as("first instance running").isTrue();
            sendPoints("restart-", 2, 0, 30);
            topics.await(Topics.SERIES_SCORES, 60, ours);
        }
        Map<String, SeriesScore> lastBefore =
                lastPerSeries(topics.await(Topics.SERIES_SCORES, 60, ours));
        assertThat(lastBefore.values())
                .allSatisfy(s -> assertThat(s.getNextForecast()).isNotNull());

        try (ScorerApp after = start("after-restart")) {
            assertThat(after.awaitRunning(WAIT)).as("new instance running").isTrue();
            sendPoints("restart-", 2, 30, 31);
            Map<String, SeriesScore> firstAfter =
                    lastPerSeries(topics.await(Topics.SERIES_SCORES, 62, ours));
            assertThat(firstAfter).hasSize(2);
            firstAfter.forEach(
                    (series, score) -> {
                        // Forecast from the restored window: exactly the next forecast kept
                        // before the restart (without the state there would be none yet).
                        assertThat(score.getForecast())
                                .as(series)
                                .isEqualTo(lastBefore.get(series).getNextForecast());
                        assertThat(score.getValue()).as(series).isEqualTo(value(series, 30));
                    });
        }
    }

    /** The last score of each series, in the order the topic holds them (per key, in order). */
    private static Map<String, SeriesScore> lastPerSeries(List<SeriesScore> scores) {
        Map<String, SeriesScore> last = new HashMap<>();
        scores.forEach(s -> last.put(s.getSeriesId(), s));
        return last;
    }

    /** Sends batches of text events until one is scored with {@code version}; returns those. */
    private List<TextScore> sendUntilScoredWith(String prefix, long version) {
        List<TextScore> seen = new ArrayList<>();
        AtomicInteger batch = new AtomicInteger();
        try (KafkaConsumer<String, TextScore> consumer = topics.consumer(Topics.TEXT_SCORES)) {
            consumer.subscribe(List.of(Topics.TEXT_SCORES.name()));
            Awaitility.await("a text score with version " + version)
                    .atMost(WAIT)
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                sendTexts(prefix + batch.getAndIncrement() + "-", 10);
                                for (ConsumerRecord<String, TextScore> r :
                                        consumer.poll(Duration.ofMillis(500))) {
                                    seen.add(r.value());
                                }
                                assertThat(
                                                seen.stream()
                                                        .map(TextScore::getModelVersion)
                                                        .distinct()
                                                        .toList())
                                        .as(
                                                "versions named by the %d text scores seen",
                                                seen.size())
                                        .contains(version);
                            });
        }
        return seen.stream().filter(s -> s.getModelVersion() == version).toList();
    }

    private static ScorerApp start(String name) {
        return ScorerApp.start(
                broker.bootstrapServers(),
                dir.resolve("state-" + name),
                null,
                // Without the gate: a new version serves on arrival (the gate's IT is in ops).
                ScorerOptions.defaults().withDefaultPolicy(ServingPolicy.FOLLOW));
    }

    private static List<String> sendTexts(String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, TextEvent> producer = topics.producer(Topics.TEXT_EVENTS)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                ids.add(id);
                producer.send(
                        new ProducerRecord<>(
                                Topics.TEXT_EVENTS.name(),
                                id,
                                new TextEvent(
                                        id,
                                        Instant.now(),
                                        "message number " + i,
                                        i % 3 == 0 ? "spam" : null)));
            }
            producer.flush();
        }
        return ids;
    }

    /** Points {@code from} to {@code to} (exclusive) of series {@code prefix + 0 ..}, in order. */
    private static void sendPoints(String prefix, int series, int from, int to) throws Exception {
        try (KafkaProducer<String, SeriesPoint> producer = topics.producer(Topics.SERIES_POINTS)) {
            for (int t = from; t < to; t++) {
                for (int s = 0; s < series; s++) {
                    String id = prefix + s;
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.SERIES_POINTS.name(),
                                    id,
                                    new SeriesPoint(id, Instant.now(), value(id, t))));
                }
            }
            producer.flush();
        }
    }

    /** Point {@code t} of a series: its own level (the id's last digit) plus a slow wave. */
    private static double value(String seriesId, int t) {
        return 20 + (seriesId.charAt(seriesId.length() - 1) - '0') + Math.sin(t / 3.0);
    }
}
