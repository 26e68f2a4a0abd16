package dev.streamlearn.ops.cli;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn broker}: a real Kafka broker (KRaft) in this process until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a real Apache Kafka broker (KRaft mode) in this process, on 127.0.0.1 only.",
            "Its data directory survives restarts. Ctrl-C stops it cleanly."
        })
final class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "data/broker",
            description = "Where the broker keeps its logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--create-topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Create every streamlearn topic at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Path logFile = LogFile.use("broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port);
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    broker.close();
                                    out.println("Kafka broker stopped cleanly.");
                                    out.flush();
                                },
                                "broker-shutdown"));
        if (createTopics) {
            try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
                new TopicInstaller(admin).install(Topics.all());
            }
        }
        out.printf(
                "Kafka broker ready at %s (data in %s). Ctrl-C stops it.%n",
                broker.bootstrapServers(), dataDir.toAbsolutePath());
        out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
        out.flush();
        broker.awaitShutdown();
        return 0;
    }
}
