package dev.streamlearn.ops.cli;

import dev.streamlearn.ops.metrics.MetricsEndpoint;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-bind-address}: where a command serves Prometheus'
 * {@code /metrics}. Each command has its own default port, so that a scorer, a normalizer and an
 * ingestion can run side by side on one machine.
 */
final class MetricsOptions {
    static final int SCORER_PORT = 9401;
    static final int NORMALIZER_PORT = 9402;
    static final int INGEST_PORT = 9403;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Prometheus /metrics on 127.0.0.1:PORT; 0 picks a free one, -1 serves none"
                            + " (default: score 9401, normalize 9402, ingest 9403, train 9249).")
    Integer port;

    @Option(
            names = "--metrics-bind-address",
            paramLabel = "IP",
            defaultValue = "127.0.0.1",
            description =
                    "Address of the metrics endpoint (default: ${DEFAULT-VALUE}). Change it only"
                            + " inside a container whose port the host publishes on its loopback.")
    InetAddress bindAddress;

    /** The port asked for, or {@code defaultPort}; -1 means none; anything else is refused. */
    int port(int defaultPort) {
        int chosen = port == null ? defaultPort : port;
        if (chosen < -1 || chosen > 65535) {
            throw new IllegalArgumentException(
                    "--metrics-port " + chosen + ": expected 0-65535, or -1 for no endpoint");
        }
        return chosen;
    }

    /** Serves {@code scrape} unless {@code --metrics-port -1}. */
    Optional<MetricsEndpoint> start(String what, int defaultPort, Supplier<String> scrape) {
        int chosen = port(defaultPort);
        if (chosen == -1) {
            return Optional.empty();
        }
        return Optional.of(MetricsEndpoint.start(what, bindAddress, chosen, scrape));
    }
}
