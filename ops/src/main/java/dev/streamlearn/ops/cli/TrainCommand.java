package dev.streamlearn.ops.cli;

import dev.streamlearn.ops.metrics.LoopbackPrometheusReporter;
import dev.streamlearn.ops.metrics.LoopbackPrometheusReporterFactory;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import dev.streamlearn.trainer.flink.MiniBatchOptions;
import dev.streamlearn.trainer.flink.ParallelismOption;
import dev.streamlearn.trainer.flink.PipelineOption;
import dev.streamlearn.trainer.flink.SigningOptions;
import dev.streamlearn.trainer.flink.SpecOverrides;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn train}: the Flink training job on a local MiniCluster until Ctrl-C. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains the models continuously from series-points and text-events (or the topics of"
                    + " a --pipeline file) on a local Flink MiniCluster (127.0.0.1 only) and"
                    + " publishes numbered versions to model-versions, exactly once.",
            "Started again with the same --checkpoint-dir, it continues from its newest checkpoint"
                    + " or savepoint. Ctrl-C stops it with a savepoint."
        })
final class TrainCommand implements Callable<Integer> {
    @Mixin BootstrapOption bootstrap;

    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--model",
            defaultValue = "all",
            description =
                    "series, text, vector (mlp-classifier on vector-events), image"
                            + " (cnn-classifier on image-events) or all (series and text;"
                            + " default: ${DEFAULT-VALUE}).")
    String models;

    @Mixin PipelineOption pipeline;

    @Mixin SpecOverrides overrides;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            defaultValue = "data/trainer",
            description = "Checkpoints and savepoints; restored from (default: ${DEFAULT-VALUE}).")
    Path checkpointDir;

    @Option(
            names = "--publish-every",
            paramLabel = "N",
            defaultValue = "" + TrainingOptions.DEFAULT_PUBLISH_EVERY_MINI_BATCHES,
            description = "Publish a version after N mini-batches (default: ${DEFAULT-VALUE}).")
    int publishEvery;

    @Option(
            names = "--publish-interval-ms",
            paramLabel = "MS",
            defaultValue = "2000",
            description =
                    "Or at the latest this long after the first unpublished mini-batch"
                            + " (default: ${DEFAULT-VALUE}).")
    long publishIntervalMs;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "" + LoopbackPrometheusReporterFactory.DEFAULT_PORT,
            description =
                    "Flink's Prometheus reporter on 127.0.0.1:PORT/metrics; 0 picks a free one,"
                            + " -1 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin MiniBatchOptions miniBatches;

    @Mixin ParallelismOption parallelism;

    @Mixin SigningOptions signing;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Path logFile = LogFile.use("train");
        Configuration metrics = flinkMetrics(metricsPort); // a bad value fails before anything
        List<ModelDefinition> definitions = pipeline.models(models, overrides.values());
        TrainingOptions options =
                TrainingOptions.defaults()
                        .withPublishEveryMiniBatches(publishEvery)
                        .withPublishInterval(Duration.ofMillis(publishIntervalMs));
        options = parallelism.applyTo(signing.applyTo(miniBatches.applyTo(options)));
        KafkaConnection kafka = kafkaClient.connection(bootstrap.servers);
        try (Admin admin = KafkaAdmin.connect(kafka)) {
            new TopicInstaller(admin).installIfAuthorized(pipeline.pipeline().topics());
        }
        TrainingJobHandle job =
                TrainingJobRunner.start(kafka, checkpointDir, definitions, options, metrics);
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    String how =
                                            job.stop()
                                                    .map(s -> "with a savepoint at " + s)
                                                    .orElse(
                                                            "(cancelled; the last checkpoint stays)");
                                    out.println("Training stopped " + how + ".");
                                    out.flush();
                                },
                                "trainer-shutdown"));
        out.printf(
                "Training %s from %s; checkpoints in %s (%s). Ctrl-C stops it.%n",
                definitions.stream().map(ModelDefinition::name).toList(),
                kafka,
                job.checkpointDir(),
                job.restoredFrom().map(p -> "restored from " + p).orElse("fresh start"));
        LoopbackPrometheusReporter.urls()
                .forEach(url -> out.printf("Flink metrics for Prometheus at %s%n", url));
        if (metricsPort != -1 && LoopbackPrometheusReporter.urls().isEmpty()) {
            // Flink logs a reporter that fails to open and carries on without it.
            out.printf(
                    "No Flink metrics: nothing could serve on 127.0.0.1:%d (taken?); see %s.%n",
                    metricsPort, logFile);
        }
        out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
        out.flush();
        try {
            job.awaitTermination();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the training job failed: " + e.getCause().getMessage(), e.getCause());
        }
        return 0;
    }

    /** Flink settings for the MiniCluster's metrics: the loopback reporter, or none at -1. */
    static Configuration flinkMetrics(int port) {
        if (port == -1) {
            return new Configuration();
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "--metrics-port " + port + ": expected 0-65535, or -1 for no endpoint");
        }
        return LoopbackPrometheusReporterFactory.configuration(port);
    }
}
