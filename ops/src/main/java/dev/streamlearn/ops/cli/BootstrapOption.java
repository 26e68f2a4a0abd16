package dev.streamlearn.ops.cli;

import picocli.CommandLine.Option;

/** The {@code --bootstrap H:P} option shared by every command that talks to Kafka. */
final class BootstrapOption {
    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String servers;
}
