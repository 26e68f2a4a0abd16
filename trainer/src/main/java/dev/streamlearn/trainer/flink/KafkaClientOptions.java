package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of every command that talks to Kafka: a Kafka client properties
 * file whose {@code security.protocol}, {@code sasl.*} and {@code ssl.*} settings reach every
 * producer, consumer, admin, Kafka Streams and Flink Kafka client the command opens. Without it,
 * the clients speak PLAINTEXT. A picocli mixin; it lives beside {@link TrainingJobMain}, whose job
 * jar has no {@code streamlearn} command around it, and every command of {@code streamlearn} mixes
 * it in too.
 */
public final class KafkaClientOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties: security.protocol, sasl.* and ssl.* reach every"
                            + " Kafka client this command opens (score also takes any Kafka"
                            + " Streams setting, which wins over its defaults); PLAINTEXT"
                            + " without it.")
    Path file;

    /**
     * The connection to {@code bootstrap} with the file's settings.
     *
     * @throws IllegalArgumentException naming the file, when it is missing, unreadable or sets
     *     anything but connection settings
     */
    public KafkaConnection connection(String bootstrap) {
        return file == null
                ? KafkaConnection.plaintext(bootstrap)
                : KafkaConnection.load(bootstrap, file);
    }

    /**
     * As {@link #connection}, for a command whose file holds other settings too (the scorer's: its
     * Kafka Streams configuration), which that command reads itself.
     */
    public KafkaConnection connectionAmong(String bootstrap) {
        return file == null
                ? KafkaConnection.plaintext(bootstrap)
                : KafkaConnection.loadAmong(bootstrap, file);
    }

    /** The file, or null when none was given. */
    public Path file() {
        return file;
    }
}
