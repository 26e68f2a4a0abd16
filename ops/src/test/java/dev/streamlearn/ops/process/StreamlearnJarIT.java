package dev.streamlearn.ops.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command as a user runs it: `java -jar ops/target/streamlearn.jar broker` starts
 * a broker with every topic, survives a stop with SIGTERM (Ctrl-C) and a restart with its records,
 * and `tail` in another process reads them.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StreamlearnJarIT {
    private static final Duration START = Duration.ofSeconds(90);
    @TempDir Path dataDir;

    @Test
    void theBrokerKeepsItsRecordsAcrossAStopWithCtrlCAndARestart() throws Exception {
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        TextEvent event = SampleRecords.textEvent();

        try (StreamlearnProcess broker = startBroker(port)) {
            produce(bootstrap, event);
            // 143 = 128 + SIGTERM: the JVM's own exit code after running its shutdown hooks.
            assertThat(broker.stop(Duration.ofSeconds(60)))
                    .as("exit code after SIGTERM")
                    .isEqualTo(143);
            broker.awaitLine("Kafka broker stopped cleanly.", Duration.ofSeconds(10));
        }

        try (StreamlearnProcess broker = startBroker(port)) {
            try (StreamlearnProcess tail =
                    StreamlearnProcess.start(
                            "tail", "text-events", "--bootstrap", bootstrap, "--from-beginning")) {
                String line = tail.awaitLine("\"topic\":\"text-events\"", START);
                assertThat(tail.awaitExit(START)).as(tail.stderr()).isZero();
                assertThat(line).contains("\"text\":\"" + event.getText() + "\"");
            }
            broker.stop(Duration.ofSeconds(60));
        }
    }

    @Test
    void aSecondBrokerOnATakenPortFailsNamingThePort() throws Exception {
        int port = freePort();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
                StreamlearnProcess broker =
                        StreamlearnProcess.start(
                                "broker",
                                "--port",
                                Integer.toString(port),
                                "--data-dir",
                                dataDir.toString())) {
            assertThat(broker.awaitExit(START)).isEqualTo(1);
            assertThat(broker.stderr())
                    .contains("port " + port + " on 127.0.0.1 is already in use");
        }
    }

    private StreamlearnProcess startBroker(int port) throws IOException, InterruptedException {
        StreamlearnProcess broker =
                StreamlearnProcess.start(
                        "broker",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dataDir.toString());
        broker.awaitLine("Kafka broker ready at 127.0.0.1:" + port, START);
        return broker;
    }

    private static void produce(String bootstrap, TextEvent event) throws Exception {
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        Topics.TEXT_EVENTS.keySerde().serializer(),
                        Topics.TEXT_EVENTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS.name(), event.getId(), event))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
