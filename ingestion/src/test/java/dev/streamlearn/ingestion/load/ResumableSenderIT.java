package dev.streamlearn.ingestion.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load sent through {@link ResumableSender} and stopped at any moment continues, in a new sender
 * with the same id, exactly after the rows it committed: read_committed, every row's event is on
 * the topic once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ResumableSenderIT {
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aSecondRunContinuesAfterTheRowsTheFirstCommitted() throws Exception {
        // Given a file of ten mails, the first run stopping after four
        String id = "resume-" + System.nanoTime();
        Path file = mails(id, 10);
        FileIngestion<TextEvent> ingestion = ingestion();
        try (ResumableSender<TextEvent> first = open(id)) {
            assertThat(first.committedRows()).isZero();
            ingestion.load(file, 0, 4, first, Pacer.asFastAsPossible(), Progress.silent());
        }

        // When the same load runs again
        long resumedAfter;
        try (ResumableSender<TextEvent> second = open(id)) {
            resumedAfter = second.committedRows();
            ingestion.load(
                    file,
                    resumedAfter,
                    Long.MAX_VALUE,
                    second,
                    Pacer.asFastAsPossible(),
                    Progress.silent());
        }

        // Then it started after row four, and every mail is on the topic once
        assertThat(resumedAfter).isEqualTo(4);
        assertThat(idsOnTopic(id)).containsExactlyInAnyOrderElementsOf(ids(id, 10));
    }

    @Test
    void aRunKilledMidTransactionIsFencedAndItsUncommittedRowsAreSentByTheNext() {
        // Given a run that committed one row and sent a second it has not marked done (as a
        // process killed between the two would leave it)
        String id = "killed-" + System.nanoTime();
        ResumableSender<TextEvent> killed = open(id);
        killed.send(id + "-1", mail(id + "-1"));
        killed.rowsDone(1);
        killed.finish();
        killed.send(id + "-2", mail(id + "-2"));

        // When the load starts again with the same id
        try (ResumableSender<TextEvent> restarted = open(id)) {
            // Then it continues after row one; row two's send of the killed run is aborted
            assertThat(restarted.committedRows()).isEqualTo(1);
            for (int row = 2; row <= 3; row++) {
                restarted.send(id + "-" + row, mail(id + "-" + row));
                restarted.rowsDone(row);
            }
            restarted.finish();
        }
        assertThat(idsOnTopic(id)).containsExactlyInAnyOrderElementsOf(ids(id, 3));
        // and the old run, should it still be alive, is told it was replaced
        assertThatThrownBy(
                        () -> {
                            killed.send(id + "-9", mail(id + "-9"));
                            killed.rowsDone(9);
                            killed.finish();
                        })
                .hasMessageContaining("took over");
        killed.close();
    }

    @Test
    void rowsWaitingForThePacerAreCommittedWithoutANextRow() {
        // Given a load that sent a row and then waits (a slow replay)
        String id = "idle-" + System.nanoTime();
        try (ResumableSender<TextEvent> sender = open(id)) {
            sender.send(id + "-1", mail(id + "-1"));
            sender.rowsDone(1);

            // Then the row becomes readable while nothing else is sent
            await("the waiting row committed")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(idsOnTopic(id)).containsExactly(id + "-1"));
        }
    }

    private static ResumableSender<TextEvent> open(String id) {
        return ResumableSender.open(broker.bootstrapServers(), Topics.TEXT_EVENTS, id, "mails");
    }

    private static FileIngestion<TextEvent> ingestion() {
        return new FileIngestion<>(
                new TextFieldMapping("id", List.of("text"), "label", null)::map,
                TextEvent::getId,
                TextEvent::getEventTime);
    }

    /** {@code rows} labelled mails with ids {@code <id>-1..rows}. */
    private static Path mails(String id, int rows) throws Exception {
        String prefix = id + "-";
        return Files.write(
                dir.resolve(id + ".jsonl"),
                IntStream.rangeClosed(1, rows)
                        .mapToObj(
                                i ->
                                        "{\"id\":\""
                                                + prefix
                                                + i
                                                + "\",\"text\":\"mail "
                                                + i
                                                + "\",\"label\":\"ham\"}")
                        .toList());
    }

    private static TextEvent mail(String id) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText("mail " + id)
                .setLabel("ham")
                .setEventTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }

    private static List<String> ids(String id, int rows) {
        return IntStream.rangeClosed(1, rows).mapToObj(i -> id + "-" + i).toList();
    }

    /** The ids of the committed text events that start with {@code id}. */
    private static List<String> idsOnTopic(String id) {
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, TextEvent> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        Topics.TEXT_EVENTS.keySerde().deserializer(),
                        Topics.TEXT_EVENTS.valueSerde().deserializer())) {
            List<TopicPartition> partitions =
                    IntStream.range(0, Topics.TEXT_EVENTS.partitions())
                            .mapToObj(p -> new TopicPartition(Topics.TEXT_EVENTS.name(), p))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("reading text-events up to " + end)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .untilAsserted(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(r -> found.add(r.value().getId()));
                                assertThat(partitions)
                                        .filteredOn(p -> consumer.position(p) < end.get(p))
                                        .isEmpty();
                            });
        }
        return found.stream().filter(i -> i.startsWith(id)).collect(Collectors.toList());
    }
}
