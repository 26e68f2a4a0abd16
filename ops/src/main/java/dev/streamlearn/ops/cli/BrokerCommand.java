package dev.streamlearn.ops.cli;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
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

    @Option(
            names = "--sasl-ssl",
            paramLabel = "DIR",
            description = {
                "Secure the client port: SASL_SSL with SCRAM-SHA-512 over TLS, and ACLs (nothing is"
                        + " allowed without one). DIR gets a throwaway CA (ca.crt, new at each"
                        + " start) and admin.properties, the --config file of the super user"
                        + " admin, whose password is kept in DIR across restarts. Add users and"
                        + " ACLs with Kafka's own tools and that file; see the README, Security."
            })
    Path securityDir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Path logFile = LogFile.use("broker");
        Optional<LocalSecurity> security =
                Optional.ofNullable(securityDir).map(dir -> LocalSecurity.prepare(dir));
        EmbeddedKafkaBroker broker =
                security.isPresent()
                        ? EmbeddedKafkaBroker.start(dataDir, port, security.get().broker())
                        : EmbeddedKafkaBroker.start(dataDir, port);
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
        KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
        if (security.isPresent()) {
            kafka = security.get().admin(broker);
        }
        if (createTopics) {
            try (Admin admin = KafkaAdmin.connect(kafka)) {
                new TopicInstaller(admin).install(Topics.all());
            }
        }
        out.printf(
                "Kafka broker ready at %s (data in %s). Ctrl-C stops it.%n",
                broker.bootstrapServers(), dataDir.toAbsolutePath());
        if (security.isPresent()) {
            out.printf(
                    "SASL_SSL (SCRAM-SHA-512) with ACLs; super user admin: --config %s%n",
                    security.get().adminProperties());
        }
        out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
        out.flush();
        broker.awaitShutdown();
        return 0;
    }
}
