package dev.streamlearn.ops.cli;

import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.metrics.MetricsEndpoint;
import dev.streamlearn.ops.metrics.PipelineMeters;
import dev.streamlearn.ops.metrics.ScorerMeters;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import dev.streamlearn.trainer.flink.PipelineOption;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamlearn score}: one scorer instance until Ctrl-C. */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores every text event and series point with the newest (or pinned) model version.",
            "Start it several times with the same --application-id to share the partitions."
        })
final class ScoreCommand implements Callable<Integer> {
    @Mixin BootstrapOption bootstrap;

    @Mixin MetricsOptions metrics;

    @Mixin TrustOptions trust;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "data/scorer",
            description =
                    "Local state (series windows, waiting events) (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    // Also the scorer's Kafka Streams properties, which win over its defaults.
    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            description = {
                "A name for this instance, unique among the scorers sharing the partitions and kept"
                        + " across its restarts (with the same --state-dir): started again after a"
                        + " crash, it takes its partitions back at once instead of waiting for its"
                        + " old session to expire (Kafka static membership; the session is then"
                        + " 15 s)."
            })
    String instanceId;

    @Mixin PipelineOption pipeline;

    @Option(
            names = "--text-model",
            defaultValue = ScorerOptions.DEFAULT_TEXT_MODEL,
            description =
                    "Model that scores text-events, without --pipeline (default: ${DEFAULT-VALUE}).")
    String textModel;

    @Option(
            names = "--series-model",
            defaultValue = ScorerOptions.DEFAULT_SERIES_MODEL,
            description =
                    "Model that scores series-points, without --pipeline (default:"
                            + " ${DEFAULT-VALUE}).")
    String seriesModel;

    @Option(
            names = "--versions-kept",
            defaultValue = "" + RegistryState.DEFAULT_VERSIONS_KEPT,
            description =
                    "Versions per model the registry keeps for pin and roll back (default: ${DEFAULT-VALUE}).")
    int versionsKept;

    @Spec CommandSpec spec;

    /** The --pipeline file's models, if one was given; never beside a model named by option. */
    private Optional<Pipeline> servedPipeline() {
        if (!pipeline.given()) {
            return Optional.empty();
        }
        for (String named : List.of("--text-model", "--series-model")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(named)) {
                throw new IllegalArgumentException(
                        named
                                + " with --pipeline: the pipeline file names the models to serve;"
                                + " give one or the other");
            }
        }
        return Optional.of(pipeline.pipeline());
    }

    @Override
    public Integer call() throws InterruptedException {
        Path logFile = LogFile.use("score");
        // The port and the keys first: a bad or taken port, or no trust, fails before anything
        // else starts.
        metrics.port(MetricsOptions.SCORER_PORT);
        VersionTrust versionTrust = trust.trust();
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        Optional<MetricsEndpoint> endpoint =
                metrics.start("scorer", MetricsOptions.SCORER_PORT, registry::scrape);
        Optional<Pipeline> served = servedPipeline();
        KafkaConnection kafka = kafkaClient.connectionAmong(bootstrap.servers);
        try (Admin admin = KafkaAdmin.connect(kafka)) {
            new TopicInstaller(admin)
                    .installIfAuthorized(served.orElse(Pipeline.defaults()).topics());
        }
        ScorerOptions defaults = ScorerOptions.defaults();
        ScorerOptions options =
                new ScorerOptions(
                        textModel,
                        seriesModel,
                        versionsKept,
                        defaults.pendingLimit(),
                        defaults.topTokens(),
                        defaults.drainInterval(),
                        versionTrust);
        if (served.isPresent()) {
            options = options.withServed(served.get());
        }
        ScorerApp scorer =
                ScorerApp.start(
                        bootstrap.servers,
                        stateDir,
                        kafkaClient.file(),
                        Optional.ofNullable(instanceId),
                        options);
        ScorerMeters.bind(registry, scorer.metrics());
        PipelineMeters.running(registry, "streamlearn.scorer.running", scorer::state);
        PipelineMeters.bindClient(registry, scorer.client());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    scorer.close();
                                    endpoint.ifPresent(MetricsEndpoint::close);
                                },
                                "scorer-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        if (scorer.awaitRunning(Duration.ofMinutes(2))) {
            out.printf(
                    "Scorer running against %s (state in %s; metrics %s; trusts %s). Ctrl-C"
                            + " stops it.%n",
                    bootstrap.servers,
                    stateDir.toAbsolutePath(),
                    endpoint.map(MetricsEndpoint::url).orElse("off"),
                    versionTrust);
            out.printf("Kafka's, Flink's and DL4J's own messages go to %s%n", logFile);
            if (versionTrust.allowsUnsigned()) {
                out.println(
                        "WARNING: --allow-unsigned: this scorer serves unsigned model versions;"
                                + " anyone who can write to model-versions can choose its"
                                + " weights.");
            }
            out.flush();
        }
        scorer.awaitStop();
        return scorer.state() == KafkaStreams.State.ERROR ? UserErrorHandler.FAILED : 0;
    }
}
