package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import picocli.CommandLine;

/**
 * The foundation against the official Apache Kafka image, for machines with a Docker engine. Where
 * Docker is absent it is skipped with a message; FoundationIT covers the same ground on the
 * in-process broker, which always runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaContainerIT {
    static final String IMAGE = "apache/kafka:4.2.1";

    @BeforeAll
    static void requireDocker() {
        assumeTrue(
                DockerClientFactory.instance().isDockerAvailable(),
                "No Docker engine here: skipping the Testcontainers run against "
                        + IMAGE
                        + " (FoundationIT runs the same checks on the in-process broker).");
    }

    @Test
    void topicsCreateAndTailWorkAgainstTheOfficialKafkaImage() throws Exception {
        try (KafkaContainer kafka = new KafkaContainer(IMAGE)) {
            kafka.start();
            String bootstrap = kafka.getBootstrapServers();
            assertThat(run("topics", "create", "--bootstrap", bootstrap)).isZero();
            TextEvent event = SampleRecords.textEvent();
            try (KafkaProducer<String, TextEvent> producer =
                    new KafkaProducer<>(
                            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                            Topics.TEXT_EVENTS.keySerde().serializer(),
                            Topics.TEXT_EVENTS.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>("text-events", event.getId(), event))
                        .get(30, TimeUnit.SECONDS);
            }
            StringWriter out = new StringWriter();
            CommandLine tail = StreamlearnCommand.newCommandLine();
            tail.setOut(new PrintWriter(out));

            assertThat(
                            tail.execute(
                                    "tail",
                                    "text-events",
                                    "--bootstrap",
                                    bootstrap,
                                    "--from-beginning"))
                    .isZero();
            assertThat(out.toString()).contains("\"text\":\"" + event.getText() + "\"");
        }
    }

    private static int run(String... args) {
        return StreamlearnCommand.newCommandLine().execute(args);
    }
}
