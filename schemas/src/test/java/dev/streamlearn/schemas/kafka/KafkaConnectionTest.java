package dev.streamlearn.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
    private static final String SASL_SSL_FILE =
            """
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                username="scorer" password="s3cret";
            ssl.truststore.location=/etc/streamlearn/truststore.p12
            """;

    @TempDir Path dir;

    @Test
    void plaintextCarriesTheBootstrapServersAlone() {
        KafkaConnection kafka = KafkaConnection.plaintext("127.0.0.1:9092");

        assertThat(kafka.clientConfig()).isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092"));
        assertThat(kafka.securityProtocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void everyConnectionSettingOfTheFileReachesTheClientConfig() throws Exception {
        Path file = Files.writeString(dir.resolve("scorer.properties"), SASL_SSL_FILE);

        KafkaConnection kafka = KafkaConnection.load("broker:9093", file);

        assertThat(kafka.clientConfig(Map.of("acks", "all")))
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"scorer\" password=\"s3cret\";")
                .containsEntry("ssl.truststore.location", "/etc/streamlearn/truststore.p12")
                .containsEntry("acks", "all");
    }

    @Test
    void neitherItsTextNorItsDescriptionShowsThePassword() throws Exception {
        Path file = Files.writeString(dir.resolve("scorer.properties"), SASL_SSL_FILE);

        KafkaConnection kafka = KafkaConnection.load("broker:9093", file);

        assertThat(kafka.toString())
                .doesNotContain("s3cret")
                .contains("broker:9093", "SASL_SSL", file.toString());
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> KafkaConnection.load("broker:9093", missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void aDirectoryIsRefusedNamingIt() {
        assertThatThrownBy(() -> KafkaConnection.load("broker:9093", dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read Kafka client properties " + dir);
    }

    @Test
    void settingsOtherThanConnectionSettingsAreRefusedNamingThem() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("client.properties"),
                        "security.protocol=SSL\nisolation.level=read_uncommitted\nacks=0\n");

        assertThatThrownBy(() -> KafkaConnection.load("broker:9093", file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("[acks, isolation.level]");
    }

    @Test
    void amongOtherSettingsOnlyTheConnectionSettingsAreTaken() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("streams.properties"),
                        "security.protocol=SSL\ncommit.interval.ms=100\n");

        assertThat(KafkaConnection.loadAmong("broker:9093", file).clientConfig())
                .isEqualTo(Map.of("bootstrap.servers", "broker:9093", "security.protocol", "SSL"));
    }

    @Test
    void aStreamsConfigGivesItsBootstrapServersAndConnectionSettings() {
        Properties streams = new Properties();
        streams.put("bootstrap.servers", "broker:9093");
        streams.put("application.id", "streamlearn-scorer");
        streams.put("ssl.truststore.type", "PEM");

        assertThat(KafkaConnection.of(streams).clientConfig())
                .isEqualTo(
                        Map.of("bootstrap.servers", "broker:9093", "ssl.truststore.type", "PEM"));
    }

    @Test
    void survivesJavaSerializationAsTheFlinkJobGraphCarriesIt() throws Exception {
        Path file = Files.writeString(dir.resolve("trainer.properties"), SASL_SSL_FILE);
        KafkaConnection kafka = KafkaConnection.load("broker:9093", file);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(kafka);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(((KafkaConnection) in.readObject()).clientConfig())
                    .isEqualTo(kafka.clientConfig());
        }
    }
}
