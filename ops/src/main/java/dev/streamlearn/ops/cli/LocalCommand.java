package dev.streamlearn.ops.cli;

import dev.streamlearn.ops.local.LocalOptions;
import dev.streamlearn.ops.local.LocalPipeline;
import dev.streamlearn.ops.local.StatusPrinter;
import dev.streamlearn.ops.metrics.LoopbackPrometheusReporter;
import dev.streamlearn.ops.metrics.LoopbackPrometheusReporterFactory;
import dev.streamlearn.scorer.ScoringFamilies;
import dev.streamlearn.trainer.flink.MiniBatchOptions;
import dev.streamlearn.trainer.flink.ParallelismOption;
import dev.streamlearn.trainer.flink.PipelineOption;
import dev.streamlearn.trainer.flink.SpecOverrides;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn local}: the whole pipeline in one process, until Ctrl-C. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline in this process on 127.0.0.1: a Kafka broker, the normalizer,",
            "the Flink trainer, the scorer, and a replay of real data (the sensor network and",
            "SpamAssassin by default). Started again on the same --data-dir, it resumes."
        })
final class LocalCommand implements Callable<Integer> {
    private static final Duration STATUS_EVERY = Duration.ofSeconds(2);
    private static final Duration FIRST_SCORE_POLL = Duration.ofMillis(100);

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "data/local",
            description =
                    "Broker logs, checkpoints, state and replay progress (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--dataset",
            paramLabel = "SPEC",
            split = ",",
            description =
                    "sensors, spam, xor, mnist, sensors:FILE, spam:FILE, xor:FILE, mnist:FILE,"
                            + " series:FILE or text:FILE; repeat or separate with commas (default:"
                            + " sensors,spam). xor and mnist feed models a --pipeline file"
                            + " declares.")
    List<String> datasets = new ArrayList<>();

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--dashboard-port",
            defaultValue = "8080",
            description =
                    "Dashboard port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "" + LoopbackPrometheusReporterFactory.DEFAULT_PORT,
            description =
                    "The trainer's Flink Prometheus reporter on 127.0.0.1:PORT/metrics; 0 picks a"
                            + " free one, -1 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "" + LocalOptions.DEFAULT_REPLAY_RATE,
            description = "Events per second per data set (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--publish-interval-ms",
            paramLabel = "MS",
            defaultValue = "2000",
            description =
                    "How often the trainer publishes a version while it learns (default: ${DEFAULT-VALUE}).")
    long publishIntervalMs;

    @Mixin PipelineOption pipeline;

    @Mixin SpecOverrides overrides;

    @Mixin MiniBatchOptions miniBatches;

    @Mixin ParallelismOption parallelism;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalOptions options =
                new LocalOptions(
                        dataDir,
                        kafkaPort,
                        dashboardPort,
                        metricsPort,
                        datasets.isEmpty() ? LocalOptions.DEFAULT_DATASETS : datasets,
                        rate,
                        parallelism.applyTo(
                                miniBatches.applyTo(
                                        TrainingOptions.defaults()
                                                .withPublishInterval(
                                                        Duration.ofMillis(publishIntervalMs)))),
                        pipeline.models("all", overrides.values()));
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    "--metrics-port " + metricsPort + ": expected 0-65535, or -1 for no endpoint");
        }
        Path logFile = LogFile.use(dataDir.resolve("streamlearn.log"));
        out.printf("Starting the local pipeline (data in %s) ...%n", dataDir.toAbsolutePath());
        out.flush();
        long startNanos = System.nanoTime();
        LocalPipeline pipeline = LocalPipeline.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    out.println();
                                    out.println("Stopping (trainer takes a savepoint) ...");
                                    out.flush();
                                    pipeline.close();
                                    out.println("Local pipeline stopped cleanly.");
                                    out.flush();
                                    stopped.countDown();
                                },
                                "local-shutdown"));
        String jar = "java -jar ops/target/streamlearn.jar";
        String bootstrap = pipeline.bootstrapServers();
        out.printf("%nstreamlearn local is running.%n");
        out.printf("  dashboard       : %s%n", pipeline.dashboard().url());
        out.printf(
                "  metrics         : %s (Prometheus: pipeline, scorer, normalizer, JVM)%n",
                pipeline.dashboard().metricsUrl());
        for (String url : LoopbackPrometheusReporter.urls()) {
            out.printf("                    %s (Prometheus: the trainer's Flink metrics)%n", url);
        }
        if (metricsPort != -1 && LoopbackPrometheusReporter.urls().isEmpty()) {
            // Flink logs a reporter that fails to open and carries on without it.
            out.printf(
                    "                    none for the trainer: 127.0.0.1:%d could not be served"
                            + " (taken?); see %s%n",
                    metricsPort, logFile);
        }
        out.printf("  Kafka bootstrap : %s%n", bootstrap);
        out.printf("  log file        : %s (Kafka's, Flink's and DL4J's own messages)%n", logFile);
        out.printf(
                "  trainer         : %s%n",
                pipeline.trainerRestoredFrom().map(p -> "resumed from " + p).orElse("fresh start"));
        out.printf(
                "  signing key     : %s in %s (the scorer trusts every *.pub there)%n",
                pipeline.signingKey().keyId(), pipeline.keysDir());
        out.printf("  models          : %s%n", describe(options.models()));
        out.printf("  replaying       : %s at %.0f events/s each%n", options.datasets(), rate);
        String watch = "  watch scores    : ";
        for (String scores : scoresTopics(options.models())) {
            out.printf("%s%s tail %s --bootstrap %s --follow%n", watch, jar, scores, bootstrap);
            watch = " ".repeat(watch.length());
        }
        out.printf(
                "  model versions  : %s models list --bootstrap %s --trusted-keys %s%n",
                jar, bootstrap, pipeline.keysDir());
        out.printf(
                "  send your JSON  : kcat -b %s -t text-events-json -P  (see README)%n", bootstrap);
        out.printf("Ctrl-C stops everything cleanly.%n%n");
        out.flush();
        StatusPrinter status = new StatusPrinter(out, System.console() != null);
        boolean firstScoreSeen = false;
        long lastStatus = 0;
        while (!stopped.await(FIRST_SCORE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            if (!firstScoreSeen && scored(pipeline) > 0) {
                firstScoreSeen = true;
                long now = System.nanoTime();
                out.printf(
                        "First score %.1f s after start, %.1f s after the broker was up.%n",
                        (now - startNanos) / 1e9, (now - pipeline.brokerUpNanos()) / 1e9);
                out.flush();
            }
            if (System.nanoTime() - lastStatus >= STATUS_EVERY.toNanos()) {
                status.print(pipeline);
                lastStatus = System.nanoTime();
            }
        }
        return 0;
    }

    private static long scored(LocalPipeline pipeline) {
        return pipeline.scorer().metrics().textScored.sum()
                + pipeline.scorer().metrics().seriesScored.sum()
                + pipeline.scorer().metrics().vectorScored.sum()
                + pipeline.scorer().metrics().imageScored.sum();
    }

    /** The topics the served models' scores go to, each once, in the models' order. */
    static List<String> scoresTopics(List<ModelDefinition> models) {
        return models.stream()
                .map(m -> ScoringFamilies.scoresTopic(m.kind()).name())
                .distinct()
                .toList();
    }

    /** Each model as "name (family on topic)", for the banner. */
    static String describe(List<ModelDefinition> models) {
        return models.stream()
                .map(m -> m.name() + " (" + m.kind().id() + " on " + m.topic() + ")")
                .collect(Collectors.joining(", "));
    }
}
