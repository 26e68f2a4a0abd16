package dev.streamlearn.ops.cli;

import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.ops.metrics.MetricsEndpoint;
import dev.streamlearn.ops.metrics.PipelineMeters;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn normalize}: JSON from any client into the Avro topics, until Ctrl-C. */
@Command(
        name = "normalize",
        mixinStandardHelpOptions = true,
        description = {
            "Turns JSON on series-points-json / text-events-json / vector-events-json /"
                    + " image-events-json into Avro on series-points / text-events / vector-events"
                    + " / image-events;",
            "anything else goes to dead-letters with the reason. See the README for the JSON shapes."
        })
final class NormalizeCommand implements Callable<Integer> {
    @Mixin BootstrapOption bootstrap;

    @Mixin KafkaClientOptions kafkaClient;

    @Mixin MetricsOptions metrics;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "data/normalizer",
            description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            description =
                    "A name for this instance, unique among the normalizers and kept across its"
                            + " restarts (with the same --state-dir): started again after a crash,"
                            + " it takes its partitions back at once (Kafka static membership; the"
                            + " session is then 15 s).")
    String instanceId;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Path logFile = LogFile.use("normalize");
        // The endpoint first: a bad or taken port fails before anything else starts.
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        Optional<MetricsEndpoint> endpoint =
                metrics.start("normalizer", MetricsOptions.NORMALIZER_PORT, registry::scrape);
        KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
        try (Admin admin = KafkaAdmin.connect(kafka)) {
            new TopicInstaller(admin).installIfAuthorized(Topics.all());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        NormalizerApp normalizer =
                NormalizerApp.start(kafka, stateDir, Optional.ofNullable(instanceId));
        PipelineMeters.bindNormalizer(registry, normalizer);
        PipelineMeters.bindClient(registry, normalizer.client());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    normalizer.close();
                                    endpoint.ifPresent(MetricsEndpoint::close);
                                    stopped.countDown();
                                },
                                "normalizer-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Normalizer running against %s (metrics %s). Ctrl-C stops it.%n",
                kafka, endpoint.map(MetricsEndpoint::url).orElse("off"));
        out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
        out.flush();
        // A normalizer whose client stopped (an error no new thread gets past) must not linger
        // as a process that looks alive: its exit is what a supervisor restarts on.
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (normalizer.state() == KafkaStreams.State.ERROR) {
                out.println("The normalizer stopped on an error; see " + logFile + ".");
                out.flush();
                return UserErrorHandler.FAILED;
            }
        }
        return 0;
    }
}
