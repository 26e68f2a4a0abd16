package dev.streamlearn.trainer.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --config FILE}, as {@code flink run ... TrainingJobMain} and every command read it. */
class KafkaClientOptionsTest {
    @TempDir Path dir;

    private static TrainingJobMain parse(String... args) {
        TrainingJobMain main = new TrainingJobMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void withoutItTheJobSpeaksPlaintext() {
        TrainingJobMain main = parse("--bootstrap", "kafka:9092");

        assertThat(main.kafkaClient.connection(main.bootstrap).clientConfig())
                .isEqualTo(Map.of("bootstrap.servers", "kafka:9092"));
    }

    @Test
    void theFilesSettingsReachTheJobsSourcesAndSinks() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("trainer.properties"),
                        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                                + "ssl.truststore.location=/etc/kafka/truststore.p12\n");
        TrainingJobMain main = parse("--bootstrap", "kafka:9093", "--config", file.toString());

        KafkaTrainingIo io =
                KafkaTrainingIo.of(main.kafkaClient.connection(main.bootstrap), main.name);

        assertThat(io.kafka().clientConfig())
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12");
        assertThat(io.modelVersions()).isNotNull(); // the sink builds with them
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("trainer.properties");
        TrainingJobMain main = parse("--config", missing.toString());

        assertThatThrownBy(() -> main.kafkaClient.connection(main.bootstrap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read Kafka client properties " + missing + ": no such file");
    }
}
