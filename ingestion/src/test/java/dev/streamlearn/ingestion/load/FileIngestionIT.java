package dev.streamlearn.ingestion.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.file.SeriesFieldMapping;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV with a bad row loads into a real broker: good rows to their topic, the bad one to
 * dead-letters.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FileIngestionIT {
    @TempDir Path dir;

    @Test
    void everyRowEndsUpEitherInItsTopicOrInDeadLettersWithFileLineAndReason() throws Exception {
        Path csv =
                Files.writeString(
                        dir.resolve("motes.csv"),
                        "mote_id,temperature,time\n1,27.97,2010-05-09T10:00:00Z\n1,warm,2010-05-09T10:00:05Z\n2,26.5,2010-05-09T10:00:05Z\n");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
                new TopicInstaller(admin).install(Topics.all());
            }
            FileIngestion<SeriesPoint> ingestion =
                    new FileIngestion<>(
                            new SeriesFieldMapping("mote_id", "temperature", "time", "motes")::map,
                            SeriesPoint::getSeriesId,
                            SeriesPoint::getEventTime);

            LoadSummary summary;
            try (EventSender<SeriesPoint> sender =
                    new EventSender<>(broker.bootstrapServers(), Topics.SERIES_POINTS)) {
                summary =
                        ingestion.load(
                                csv,
                                0,
                                Long.MAX_VALUE,
                                sender,
                                Pacer.asFastAsPossible(),
                                Progress.silent());
            }

            assertThat(summary.sent()).isEqualTo(2);
            assertThat(summary.rejected()).isEqualTo(1);
            assertThat(readAll(broker, Topics.SERIES_POINTS))
                    .extracting(SeriesPoint::getValue)
                    .containsExactlyInAnyOrder(27.97, 26.5);
            DeadLetter letter = readAll(broker, Topics.DEAD_LETTERS).get(0);
            assertThat(letter.getSourceTopic()).endsWith("motes.csv");
            assertThat(letter.getOffset()).isEqualTo(3);
            assertThat(letter.getStage()).isEqualTo("ingest");
            assertThat(letter.getError())
                    .contains("motes.csv:3: value field 'temperature' = 'warm' is not a number");
        }
    }

    private static <V> List<V> readAll(EmbeddedKafkaBroker broker, Topic<?, V> topic) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<?, V> consumer =
                new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("reading " + topic.name() + " up to its end offsets " + end)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(r -> values.add(r.value()));
                                assertThat(partitions)
                                        .filteredOn(p -> consumer.position(p) < end.get(p))
                                        .as(
                                                "partitions not read to the end, %d records read",
                                                values.size())
                                        .isEmpty();
                            });
        }
        return values;
    }
}
