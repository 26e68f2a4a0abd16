package dev.streamlearn.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerIT {
    @TempDir Path dataDir;

    @Test
    void topicsAndRecordsSurviveARestartOnTheSameDataDirectory() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>("kept", "k", "written before the restart"))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir, 0)) {
            try (Admin admin = admin(restarted)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains("kept");
            }
            assertThat(readAll(restarted, "kept")).containsExactly("written before the restart");
        }
    }

    @Test
    void retriesATransactionalWriteThatMeetsTheMarkersOfTheLastCommitAfterOneMillisecond()
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0);
                Admin admin = admin(broker)) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");

            Config config =
                    admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);

            // A misspelt key would be ignored by the broker, leaving its default of 20 ms.
            assertThat(config.get("add.partitions.to.txn.retry.backoff.ms").value()).isEqualTo("1");
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static List<String> readAll(EmbeddedKafkaBroker broker, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            await("reading " + topic + " up to its end offset " + end)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                for (ConsumerRecord<String, String> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    values.add(record.value());
                                }
                                assertThat(consumer.position(partition))
                                        .as("position in %s after reading %s", topic, values)
                                        .isEqualTo(end);
                            });
            return values;
        }
    }
}
