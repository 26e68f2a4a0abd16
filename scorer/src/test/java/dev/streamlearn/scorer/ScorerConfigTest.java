package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerConfigTest {
    @TempDir Path dir;

    @Test
    void defaultsAreExactlyOnceWithAShortCommitIntervalAndLinger() {
        Properties config = ScorerConfig.load(null, "127.0.0.1:9092", dir);

        assertThat(config.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(Integer.toString(ScorerConfig.DEFAULT_COMMIT_INTERVAL_MS));
        assertThat(
                        config.getProperty(
                                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)))
                .isEqualTo(Integer.toString(ScorerConfig.DEFAULT_LINGER_MS));
        assertThat(config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))
                .isEqualTo("127.0.0.1:9092");
    }

    @Test
    void theProducerRetriesARefusedTransactionRequestAfterMillisecondsNotATenthOfASecond() {
        Properties config = ScorerConfig.load(null, "127.0.0.1:9092", dir);

        Map<String, Object> producer = new StreamsConfig(config).getProducerConfigs("client");

        assertThat(String.valueOf(producer.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)))
                .isEqualTo(Integer.toString(ScorerConfig.DEFAULT_RETRY_BACKOFF_MS));
    }

    @Test
    void aPropertiesFileTradesLatencyForThroughput() throws Exception {
        Path file = dir.resolve("scorer.properties");
        Files.writeString(file, "commit.interval.ms=100\nproducer.linger.ms=5\n");

        Properties config = ScorerConfig.load(file, "127.0.0.1:9092", dir);

        assertThat(config.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("100");
        assertThat(config.getProperty("producer.linger.ms")).isEqualTo("5");
    }

    @Test
    void anInstanceIdMakesTheScorerAStaticMemberWithAShorterSession() {
        Properties config = ScorerConfig.load(null, "127.0.0.1:9092", dir, Optional.of("scorer-a"));

        Map<String, Object> consumer =
                new StreamsConfig(config).getMainConsumerConfigs("group", "client", 0);

        assertThat(consumer.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("scorer-a-0");
        assertThat(String.valueOf(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)))
                .isEqualTo(Integer.toString(ScorerConfig.STATIC_SESSION_TIMEOUT_MS));
    }

    @Test
    void withoutAnInstanceIdTheScorerJoinsAsADynamicMember() {
        Properties config = ScorerConfig.load(null, "127.0.0.1:9092", dir);

        Map<String, Object> consumer =
                new StreamsConfig(config).getMainConsumerConfigs("group", "client", 0);

        assertThat(consumer).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }
}
