package dev.streamlearn.ops.cli;

import dev.streamlearn.ops.dashboard.Dashboard;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn dashboard}: the live web dashboard and its metrics until Ctrl-C. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a live dashboard of the pipeline on 127.0.0.1: model versions, training,",
            "serving and pins, scores, dead letters; Prometheus metrics at /metrics."
        })
final class DashboardCommand implements Callable<Integer> {
    @Mixin BootstrapOption bootstrap;

    @Mixin KafkaClientOptions kafkaClient;

    @Mixin TrustOptions trust;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port on 127.0.0.1 (0 picks a free one; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind-address",
            paramLabel = "IP",
            defaultValue = "127.0.0.1",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}). Change it only inside a"
                            + " container whose port the host publishes on its loopback.")
    InetAddress bindAddress;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Path logFile = LogFile.use("dashboard");
        KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
        Dashboard dashboard = Dashboard.start(kafka, bindAddress, port, trust.trust(), null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    dashboard.close();
                                    stopped.countDown();
                                },
                                "dashboard-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Dashboard of %s at %s (metrics at %s). Ctrl-C stops it.%n",
                kafka, dashboard.url(), dashboard.metricsUrl());
        out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
        out.flush();
        stopped.await();
        return 0;
    }
}
