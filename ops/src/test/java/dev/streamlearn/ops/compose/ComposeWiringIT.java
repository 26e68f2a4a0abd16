package dev.streamlearn.ops.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.models.version.KeyFiles;
import dev.streamlearn.models.version.PublicKeyId;
import dev.streamlearn.ops.metrics.Promtool;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.ops.process.DatasetSlices;
import dev.streamlearn.ops.process.StreamlearnProcess;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextScore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml's wiring without Docker: every service a separate OS process on 127.0.0.1
 * against one broker process — the broker, {@code topics create}, the normalizer, two scorer
 * instances sharing the partitions, the dashboard, and the trainer submitted as a job jar ({@code
 * flink run}) to a Flink session cluster running in processes of its own ({@link
 * StandaloneFlinkCluster}). A slice of the SpamAssassin set is ingested and a few JSON events go
 * through the normalizer; the test waits until scores name a version the cluster's trainer
 * published, checks every part's metrics endpoint (with promtool where installed) and stops every
 * process.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ComposeWiringIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final Path TRAINER_TARGET = Path.of("..", "trainer", "target");
    private static final Path SPAM = Path.of("..", "datasets", "spamassassin.jsonl.gz");

    /** The services are small; ten JVMs at their default heaps would not be. */
    private static final List<String> SMALL_JVM = List.of("-Xmx384m");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void theComposeServicesAsProcessesScoreWithVersionsTheFlinkClusterTrainerPublished()
            throws Exception {
        Optional<Path> jobJar = jobJar();
        assumeTrue(
                jobJar.isPresent(),
                "the trainer's job jar is not built (mvn -B -pl trainer -am -P flink-job package"
                        + " -DskipTests; .ci/run does it): skipping");
        int kafkaPort = StandaloneFlinkCluster.freePort();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        Path slice = DatasetSlices.firstLines(SPAM, dir.resolve("spam-slice.jsonl"), 200);
        List<AutoCloseable> started = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            // Given a Flink cluster (services jobmanager, taskmanager), coming up meanwhile
            StandaloneFlinkCluster flink = StandaloneFlinkCluster.launch(dir.resolve("flink"));
            started.add(flink);
            // and the broker and its topics (services kafka and topics)
            StreamlearnProcess broker =
                    startService(
                            started,
                            List.of("-Xmx512m"),
                            "broker",
                            "--port",
                            Integer.toString(kafkaPort),
                            "--data-dir",
                            dir.resolve("kafka").toString());
            broker.awaitLine("Kafka broker ready at " + bootstrap, START);
            try (StreamlearnProcess topics =
                    StreamlearnProcess.start(
                            SMALL_JVM, "topics", "create", "--bootstrap", bootstrap)) {
                assertThat(topics.awaitExit(START)).as(topics.stderr()).isZero();
            }

            // and the trainer's key pair (service keys): the private key for the trainer, the
            // public one in the directory the scorers and the dashboard trust
            Path signingKeyDir = dir.resolve("signing-key");
            Path trustedKeys = dir.resolve("trusted-keys");
            try (StreamlearnProcess keys =
                    StreamlearnProcess.start(
                            SMALL_JVM,
                            "keys",
                            "create",
                            "--dir",
                            signingKeyDir.toString(),
                            "--public-dir",
                            trustedKeys.toString())) {
                assertThat(keys.awaitExit(START)).as(keys.stderr()).isZero();
            }

            phase(t0, "broker, topics and keys up");
            // and the normalizer, two scorers and the dashboard, each in its own process
            StreamlearnProcess normalizer =
                    startService(
                            started,
                            SMALL_JVM,
                            "normalize",
                            "--bootstrap",
                            bootstrap,
                            "--state-dir",
                            dir.resolve("normalizer").toString(),
                            "--metrics-port",
                            "0");
            List<StreamlearnProcess> scorers = new ArrayList<>();
            for (String name : List.of("scorer-1", "scorer-2")) {
                scorers.add(
                        startService(
                                started,
                                SMALL_JVM,
                                "score",
                                "--bootstrap",
                                bootstrap,
                                "--state-dir",
                                dir.resolve(name).toString(),
                                "--trusted-keys",
                                trustedKeys.toString(),
                                "--metrics-port",
                                "0"));
            }
            StreamlearnProcess dashboard =
                    startService(
                            started,
                            SMALL_JVM,
                            "dashboard",
                            "--bootstrap",
                            bootstrap,
                            "--trusted-keys",
                            trustedKeys.toString(),
                            "--port",
                            "0");
            String normalizerMetrics =
                    url(normalizer.awaitLine("Normalizer running against", START));
            List<String> scorerMetrics = new ArrayList<>();
            for (StreamlearnProcess scorer : scorers) {
                scorerMetrics.add(url(scorer.awaitLine("Scorer running against", START)));
            }
            String dashboardMetrics = url(dashboard.awaitLine("Dashboard of", START));
            flink.awaitSlots();

            phase(t0, "normalizer, scorers, dashboard and the Flink cluster up");
            // and the trainer submitted as a job jar (service trainer-submit)
            String jobId =
                    flink.submit(
                            jobJar.get(),
                            "dev.streamlearn.trainer.flink.TrainingJobMain",
                            "--bootstrap",
                            bootstrap,
                            "--model",
                            "text",
                            "--signing-key",
                            signingKeyDir.resolve("signing.key").toString(),
                            "--checkpoint-dir",
                            dir.resolve("checkpoints").toUri().toString(),
                            "--parallelism",
                            "2");
            await("job " + jobId + " RUNNING")
                    .atMost(WAIT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class) // REST not answering yet
                    .untilAsserted(
                            () ->
                                    assertThat(flink.jobState(jobId))
                                            .as(flink::logs)
                                            .isEqualTo("RUNNING"));

            phase(t0, "job RUNNING");
            // When a slice of labelled mails is ingested (service ingest-text) and a client
            // writes JSON, one of them unreadable
            StreamlearnProcess ingest =
                    startService(
                            started,
                            SMALL_JVM,
                            "ingest",
                            "text",
                            "--file",
                            slice.toString(),
                            "--id-field",
                            "id",
                            "--text-field",
                            "subject,text",
                            "--label-field",
                            "label",
                            "--rate",
                            "20",
                            "--bootstrap",
                            bootstrap,
                            "--metrics-port",
                            "0");
            String ingestMetrics = url(ingest.awaitLine("metrics at", START));
            // taken while it runs: the endpoint ends with the file
            String ingestScrape =
                    awaitScrape(
                            ingestMetrics,
                            text ->
                                    assertThat(
                                                    value(
                                                            text,
                                                            "streamlearn_ingest_sent_total{topic=\"text-events\"}"))
                                            .as("rows sent, while ingest runs")
                                            .isPositive());
            sendJson(bootstrap);

            phase(t0, "ingesting");
            // Then the Flink cluster's trainer publishes a version, signed with the key given to
            // the job, and scores name one it published
            ModelVersion version =
                    awaitRecord(
                            bootstrap,
                            Topics.MODEL_VERSIONS,
                            v -> v.getModel().equals("text-classifier"));
            assertThat(version.getSigningKeyId())
                    .isEqualTo(
                            KeyFiles.readPublicKeys(trustedKeys).stream()
                                    .map(PublicKeyId::id)
                                    .findFirst()
                                    .orElseThrow());
            TextScore score = awaitRecord(bootstrap, Topics.TEXT_SCORES, s -> true);
            assertThat(score.getModel()).isEqualTo("text-classifier");
            assertThat(published(bootstrap)).contains(score.getModelVersion());
            assertThat(flink.jobState(jobId)).isEqualTo("RUNNING");
            assertThat(flink.rest("/jobs/" + jobId)).contains("\"name\":\"streamlearn-trainer\"");

            assertThat(ingest.awaitExit(START)).as(ingest.stderr()).isZero();
            phase(t0, "a score names a published version");
            // and both scorer instances scored: they share the partitions
            for (String metrics : scorerMetrics) {
                awaitScrape(
                        metrics,
                        text ->
                                assertThat(value(text, "streamlearn_scorer_text_scored_total"))
                                        .as("text scored by this scorer")
                                        .isPositive());
            }
            // and the normalizer turned the JSON into events, and the bad one into a dead letter
            awaitScrape(
                    normalizerMetrics,
                    text ->
                            assertThat(
                                            List.of(
                                                    value(
                                                            text,
                                                            "streamlearn_normalizer_normalized_total"),
                                                    value(
                                                            text,
                                                            "streamlearn_normalizer_dead_lettered_total")))
                                    .as("normalized, dead-lettered")
                                    .containsExactly(20.0, 1.0));
            DeadLetter letter =
                    awaitRecord(
                            bootstrap, Topics.DEAD_LETTERS, d -> d.getStage().equals("normalize"));
            assertThat(letter.getSourceTopic()).isEqualTo("text-events-json");
            // and ingestion counted its rows while it ran (checked above), none rejected
            assertThat(
                            value(
                                    ingestScrape,
                                    "streamlearn_ingest_rejected_total{topic=\"text-events\"}"))
                    .isZero();
            // and the dashboard, reading the topics, sees the published version
            awaitScrape(
                    dashboardMetrics,
                    text ->
                            assertThat(
                                            value(
                                                    text,
                                                    "streamlearn_model_version_latest{model=\"text-classifier\"}"))
                                    .as("the dashboard's latest text-classifier")
                                    .isGreaterThanOrEqualTo(1));
            // and each TaskManager runs a share of the job (the text model's two learners are
            // spread over both) and reports its Flink metrics, the JobManager its running job
            List<String> taskManagers = new ArrayList<>();
            for (String url : flink.taskManagerMetricsUrls()) {
                String taskManager = scrape(url);
                assertThat(taskManager)
                        .as(url)
                        .containsPattern(
                                "flink_taskmanager_job_task_numRecordsIn\\{[^}]*job_name=\"streamlearn_trainer\"");
                taskManagers.add(taskManager);
            }
            assertThat(scrape(flink.jobManagerMetricsUrl()))
                    .containsPattern("(?m)^flink_jobmanager_numRunningJobs(\\{[^}]*})? 1\\.0$");

            // and promtool accepts our endpoints' output, and parses Flink's
            if (Promtool.installed()) {
                Map<String, String> ours =
                        Map.of(
                                "scorer-1", scrape(scorerMetrics.get(0)),
                                "scorer-2", scrape(scorerMetrics.get(1)),
                                "normalizer", scrape(normalizerMetrics),
                                "ingest", ingestScrape,
                                "dashboard", scrape(dashboardMetrics));
                for (Map.Entry<String, String> endpoint : ours.entrySet()) {
                    Promtool.Verdict verdict = Promtool.checkMetrics(endpoint.getValue());
                    assertThat(verdict.aboutOurNames()).as(endpoint.getKey()).isEmpty();
                    assertThat(verdict.parsed()).as(endpoint.getKey() + " parsed").isTrue();
                }
                // Flink names metrics after its scopes (camelCase) and passes the Kafka clients'
                // own through as gauges ("_total", "_ns"): promtool's lint says so, name by name.
                // What must not appear is a parse error ("error while linting: ...").
                for (String taskManager : taskManagers) {
                    Promtool.Verdict flinkVerdict = Promtool.checkMetrics(taskManager);
                    assertThat(flinkVerdict.complaints())
                            .as("promtool on a TaskManager's scrape")
                            .isNotEmpty()
                            .allSatisfy(
                                    line -> assertThat(line).matches("^flink_[A-Za-z0-9_]+ .+"));
                }
            } else {
                System.out.println(
                        "promtool is not installed (apt-get install prometheus): not run");
            }

            phase(t0, "metrics checked");
            // and every process stops when asked (SIGTERM, as docker-compose down sends)
            for (StreamlearnProcess service :
                    Stream.concat(Stream.of(dashboard, normalizer), scorers.stream()).toList()) {
                service.stop(STOP);
            }
            flink.close();
            assertThat(flink.stopped()).as("the Flink processes exited").isTrue();
            broker.stop(STOP);
            broker.awaitLine("Kafka broker stopped cleanly.", Duration.ofSeconds(10));
            phase(t0, "every process stopped");
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close(); // forcibly, for whatever a failure left running
            }
        }
    }

    /** Where the time goes, in the IT's output (target/failsafe-reports). */
    private static void phase(long t0, String what) {
        System.out.printf(
                "ComposeWiringIT: %s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    private static StreamlearnProcess startService(
            List<AutoCloseable> started, List<String> jvm, String... args) throws IOException {
        StreamlearnProcess process = StreamlearnProcess.start(jvm, args);
        started.add(process);
        return process;
    }

    /** The trainer's shaded job jar ({@code -P flink-job}), if built. */
    private static Optional<Path> jobJar() throws IOException {
        if (!Files.isDirectory(TRAINER_TARGET)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(TRAINER_TARGET)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-flink-job.jar"))
                    .findFirst();
        }
    }

    /** The metrics URL a service printed on its start line. */
    private static String url(String line) {
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics").matcher(line);
        assertThat(m.find()).as("a metrics URL on 127.0.0.1 in: " + line).isTrue();
        return m.group();
    }

    private static String scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return response.body();
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * Version numbers of text-classifier on model-versions: only the cluster's job writes there.
     */
    private static Set<Long> published(String bootstrap) {
        return CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS).stream()
                .filter(v -> v.getModel().equals("text-classifier"))
                .map(ModelVersion::getVersion)
                .collect(Collectors.toSet());
    }

    /** 20 labelled JSON mails and one value that is not JSON, to text-events-json. */
    private static void sendJson(String bootstrap) throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (int i = 0; i < 20; i++) {
                String json =
                        "{\"text\":\"Cheap loans, act now "
                                + i
                                + "\",\"label\":\""
                                + (i % 2 == 0 ? "spam" : "ham")
                                + "\"}";
                producer.send(new ProducerRecord<>("text-events-json", "json-" + i, json));
            }
            producer.send(new ProducerRecord<>("text-events-json", "bad", "not json"))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Scrapes {@code url} every half second until {@code check} passes on what it serves, and
     * returns that scrape; fails with the check's message and the last scrape.
     */
    private static String awaitScrape(String url, ThrowingConsumer<String> check) {
        AtomicReference<String> passed = new AtomicReference<>();
        await("the metrics at " + url)
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class) // the port not answering yet
                .untilAsserted(
                        () -> {
                            String text = scrape(url);
                            // value() fails while a meter is not registered yet: try again
                            assertThat(text).as("scraped:%n%s", text).satisfies(check);
                            passed.set(text);
                        });
        return passed.get();
    }

    private static <V> V awaitRecord(
            String bootstrap, Topic<?, V> topic, java.util.function.Predicate<V> wanted)
            throws InterruptedException {
        return CommittedRecords.await(bootstrap, topic, wanted, WAIT);
    }
}
