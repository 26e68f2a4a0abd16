package dev.streamlearn.ops.local;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.dashboard.Dashboard;
import dev.streamlearn.ops.metrics.LoopbackPrometheusReporterFactory;
import dev.streamlearn.ops.metrics.PipelineMeters;
import dev.streamlearn.ops.metrics.ScorerMeters;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.ModelDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process, real parts on 127.0.0.1: the Kafka broker, the topics, the
 * normalizer, the Flink trainer on a local MiniCluster, the scorer, the dashboard, and replays of
 * the data sets. Everything that must survive a restart lives under the data dir, so a second start
 * resumes: topics and offsets kept, the trainer restored from its checkpoint (version numbers
 * continue), replays continued where they stopped. The trainer's key pair is there too ({@code
 * keys/signing.key}, created on the first start): the trainer signs every version with it, and the
 * scorer and dashboard trust every {@code keys/*.pub} (README, "Model signing").
 */
public final class LocalPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    private final EmbeddedKafkaBroker broker;
    private final NormalizerApp normalizer;
    private final ScorerApp scorer;
    private final Dashboard dashboard;
    private final TrainingJobHandle trainer;
    private final List<DatasetReplay> replays;
    private final long brokerUpNanos;
    private final Path keys;
    private final SigningKey signingKey;
    private final List<String> modelNames;

    private LocalPipeline(
            EmbeddedKafkaBroker broker,
            NormalizerApp normalizer,
            ScorerApp scorer,
            Dashboard dashboard,
            TrainingJobHandle trainer,
            List<DatasetReplay> replays,
            long brokerUpNanos,
            Path keys,
            SigningKey signingKey,
            List<String> modelNames) {
        this.broker = broker;
        this.normalizer = normalizer;
        this.scorer = scorer;
        this.dashboard = dashboard;
        this.trainer = trainer;
        this.replays = replays;
        this.brokerUpNanos = brokerUpNanos;
        this.keys = keys;
        this.signingKey = signingKey;
        this.modelNames = List.copyOf(modelNames);
    }

    /** Starts every part in data-path order; if one fails, the ones already up are stopped. */
    public static LocalPipeline start(LocalOptions options) {
        Path data = options.dataDir();
        List<Dataset<?>> datasets = parseDatasets(options.datasets());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            EmbeddedKafkaBroker broker =
                    EmbeddedKafkaBroker.start(data.resolve("broker"), options.kafkaPort());
            started.add(broker);
            long brokerUpNanos = System.nanoTime();
            String bootstrap = broker.bootstrapServers();
            Pipeline served =
                    new Pipeline(options.models().stream().map(ModelDefinition::declared).toList());
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(served.topics());
            }
            NormalizerApp normalizer = NormalizerApp.start(bootstrap, data.resolve("normalizer"));
            started.add(normalizer);
            Path keys = data.resolve("keys");
            SigningKey signingKey = KeyFiles.createIfAbsent(keys, KeyFiles.LOCAL_KEY_NAME);
            VersionTrust trust = VersionTrust.signedBy(KeyFiles.readPublicKeys(keys));
            ScorerApp scorer =
                    ScorerApp.start(
                            bootstrap,
                            data.resolve("scorer"),
                            null,
                            ScorerOptions.defaults().withTrust(trust).withServed(served));
            started.add(scorer);
            Dashboard dashboard =
                    Dashboard.start(
                            bootstrap,
                            options.dashboardPort(),
                            trust,
                            registry -> {
                                ScorerMeters.bind(registry, scorer.metrics());
                                PipelineMeters.running(
                                        registry, "streamlearn.scorer.running", scorer::state);
                                PipelineMeters.bindNormalizer(registry, normalizer);
                                PipelineMeters.bindClient(registry, scorer.client());
                                PipelineMeters.bindClient(registry, normalizer.client());
                            });
            started.add(dashboard);
            Configuration flinkMetrics =
                    options.trainerMetricsPort() == -1
                            ? new Configuration()
                            : LoopbackPrometheusReporterFactory.configuration(
                                    options.trainerMetricsPort());
            TrainingJobHandle trainer =
                    TrainingJobRunner.start(
                            bootstrap,
                            data.resolve("trainer"),
                            options.models(),
                            options.training().withSigningKey(signingKey),
                            flinkMetrics);
            started.add(trainer);
            Path replayState = directory(data.resolve("replay"));
            List<DatasetReplay> replays = new ArrayList<>();
            for (Dataset<?> dataset : datasets) {
                DatasetReplay replay =
                        new DatasetReplay(dataset, replayState, bootstrap, options.replayRate());
                replays.add(replay);
                started.add(replay);
                replay.start();
            }
            return new LocalPipeline(
                    broker,
                    normalizer,
                    scorer,
                    dashboard,
                    trainer,
                    replays,
                    brokerUpNanos,
                    keys,
                    signingKey,
                    options.models().stream().map(ModelDefinition::name).toList());
        } catch (RuntimeException e) {
            closeInReverse(started);
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public ScorerApp scorer() {
        return scorer;
    }

    /** When the broker was up ({@link System#nanoTime()}), for the time-to-first-score figure. */
    public long brokerUpNanos() {
        return brokerUpNanos;
    }

    /** The models this pipeline trains and serves. */
    public List<String> modelNames() {
        return modelNames;
    }

    /** The directory of the trainer's key pair, whose every {@code *.pub} the scorer trusts. */
    public Path keysDir() {
        return keys;
    }

    /** The key the trainer signs its versions with. */
    public SigningKey signingKey() {
        return signingKey;
    }

    public NormalizerApp normalizer() {
        return normalizer;
    }

    public List<DatasetReplay> replays() {
        return replays;
    }

    /** The checkpoint or savepoint the trainer resumed from, if any. */
    public Optional<Path> trainerRestoredFrom() {
        return trainer.restoredFrom();
    }

    /** Stops replays, trainer (with a savepoint), scorer, normalizer and broker, in that order. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(broker);
        parts.add(normalizer);
        parts.add(scorer);
        parts.add(dashboard);
        parts.add(
                () ->
                        trainer.stop()
                                .ifPresent(
                                        s ->
                                                LOG.info(
                                                        "trainer stopped with a savepoint at {}",
                                                        s)));
        parts.addAll(replays);
        closeInReverse(parts);
    }

    private static void closeInReverse(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", parts.get(i), e.toString());
            }
        }
    }

    private static List<Dataset<?>> parseDatasets(List<String> specs) {
        List<Dataset<?>> datasets = new ArrayList<>();
        Path shipped = null;
        for (String spec : specs) {
            if (Dataset.readsShippedFile(spec) && shipped == null) {
                shipped = Dataset.shippedDir();
            }
            datasets.add(Dataset.parse(spec, shipped));
        }
        return datasets;
    }

    private static Path directory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
