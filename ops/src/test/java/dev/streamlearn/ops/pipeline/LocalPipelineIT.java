package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamlearn.ops.metrics.Promtool;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.ops.process.DatasetSlices;
import dev.streamlearn.ops.process.StreamlearnProcess;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `streamlearn local` as a user runs it, on slices of the shipped data: both models publish
 * versions, the promotion gate judges them and text scores name a promoted version ≥ 2; stopped
 * with Ctrl-C and started again on the same data dir, it continues — the next version is above
 * every earlier one, numbers never repeat — and no event is lost: events in = events scored +
 * events dead-lettered by the scorer.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalPipelineIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final Path DATASETS = Path.of("..", "datasets");
    private static final int SENSOR_ROWS_PER_MOTE = 600;

    @TempDir Path dir;

    @Test
    void versionsComeScoresNameThemAndARestartResumesWithoutLosingAnEvent() throws Exception {
        // Long enough (120 s at 10 points/s) that a forecaster candidate the gate cannot decide at
        // its first look still has points for its later ones while the first run waits for it.
        Path sensors = sensorSlice(dir.resolve("sensors-slice.csv"), SENSOR_ROWS_PER_MOTE);
        Path spam =
                DatasetSlices.firstLines(
                        DATASETS.resolve("spamassassin.jsonl.gz"),
                        dir.resolve("spam-slice.jsonl"),
                        400);
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        String[] local = {
            "local",
            "--data-dir",
            dir.resolve("data").toString(),
            "--kafka-port",
            Integer.toString(port),
            "--dataset",
            "sensors:" + sensors,
            "--dataset",
            "spam:" + spam,
            "--rate",
            "10",
            "--publish-interval-ms",
            "2000",
            "--dashboard-port",
            "0",
            "--metrics-port",
            "0"
        };

        try (StreamlearnProcess first = StreamlearnProcess.start(local)) {
            first.awaitLine("streamlearn local is running.", START);
            String pipelineMetrics =
                    metricsUrl(first.awaitLine("(Prometheus: pipeline", Duration.ofSeconds(5)));
            String trainerMetrics =
                    metricsUrl(
                            first.awaitLine(
                                    "(Prometheus: the trainer's Flink metrics)",
                                    Duration.ofSeconds(5)));
            Path logFile =
                    Path.of(
                            first.awaitLine("  log file        : ", Duration.ofSeconds(5))
                                    .replaceFirst("^ *log file *: (.*) \\(.*$", "$1"));
            // Both models are gated: a trained text version is promoted and serves; each
            // forecaster version is judged against the one serving (a young LSTM often trails
            // its first, near-persistence version, and then the gate keeps that one).
            awaitRecord(bootstrap, Topics.TEXT_SCORES, s -> s.getModelVersion() >= 2);
            awaitRecord(
                    bootstrap,
                    Topics.MODEL_EVENTS,
                    e -> e.getModel().equals("lstm-forecaster") && e.getVersion() >= 2);
            // Every metrics endpoint local printed answers: the scorer's and normalizer's own
            // counters beside the dashboard's, and Flink's for the trainer.
            String pipeline = get(pipelineMetrics);
            assertThat(pipeline)
                    .contains("streamlearn_normalizer_running 1.0")
                    .contains("streamlearn_normalizer_normalized_total")
                    .contains("streamlearn_scorer_running 1.0")
                    .contains("streamlearn_scorer_text_scored_total")
                    .contains("kafka_stream_thread_process_total");
            assertThat(get(trainerMetrics))
                    .containsPattern(
                            "flink_taskmanager_job_task_numRecordsIn\\{[^}]*job_name=\"streamlearn_trainer\"")
                    .as("each learner's mini-batch size and lag, by model")
                    .containsPattern(
                            "flink_taskmanager_job_task_operator_model_batchSize\\{[^}]*model=\"text_classifier\"[^}]*} [0-9]+\\.0")
                    .containsPattern(
                            "flink_taskmanager_job_task_operator_model_lagMillis\\{[^}]*model=\"lstm_forecaster\"");
            if (Promtool.installed()) {
                Promtool.Verdict verdict = Promtool.checkMetrics(pipeline);
                assertThat(verdict.aboutOurNames()).as("promtool on " + pipelineMetrics).isEmpty();
                assertThat(verdict.parsed()).as("promtool parsed " + pipelineMetrics).isTrue();
            }
            first.stop(Duration.ofSeconds(90));
            first.awaitLine("Local pipeline stopped cleanly.", Duration.ofSeconds(10));
            // Kafka's own warnings (its controller's, on every fresh start) went to the log file
            // the banner named, not to the console.
            assertThat(logFile)
                    .isEqualTo(dir.resolve("data").resolve("streamlearn.log").toAbsolutePath());
            assertThat(Files.readString(logFile)).contains("QuorumController");
            assertThat(first.stderr()).doesNotContain("QuorumController");
        }
        Instant restartedAt = Instant.now();

        try (StreamlearnProcess second = StreamlearnProcess.start(local)) {
            second.awaitLine("trainer         : resumed from", START);
            ModelVersion next =
                    awaitRecord(
                            bootstrap,
                            Topics.MODEL_VERSIONS,
                            v -> v.getCreatedAt().isAfter(restartedAt));
            assertThat(next.getParentVersion())
                    .as("the first version after the restart continues its parent")
                    .isEqualTo(next.getVersion() - 1);
            List<ModelVersion> versions =
                    CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS);
            assertVersionsStrictlyIncreasePerModel(versions);

            await("every row of both slices an event, and every event scored or dead-lettered")
                    .atMost(WAIT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> {
                                long in =
                                        CommittedRecords.readAll(bootstrap, Topics.SERIES_POINTS)
                                                        .size()
                                                + CommittedRecords.readAll(
                                                                bootstrap, Topics.TEXT_EVENTS)
                                                        .size();
                                long out =
                                        CommittedRecords.readAll(bootstrap, Topics.SERIES_SCORES)
                                                        .size()
                                                + CommittedRecords.readAll(
                                                                bootstrap, Topics.TEXT_SCORES)
                                                        .size()
                                                + CommittedRecords.readAll(
                                                                bootstrap, Topics.DEAD_LETTERS)
                                                        .stream()
                                                        .filter(d -> d.getStage().equals("scorer"))
                                                        .count();
                                assertThat(in)
                                        .as("every row of both slices is an event")
                                        .isEqualTo(SENSOR_ROWS_PER_MOTE * 2 + 400);
                                assertThat(out)
                                        .as("events scored + dead-lettered by the scorer")
                                        .isEqualTo(in);
                            });
            second.stop(Duration.ofSeconds(90));
        }
    }

    private static String metricsUrl(String line) {
        var m =
                java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics")
                        .matcher(line);
        assertThat(m.find()).as("a metrics URL on 127.0.0.1 in: " + line).isTrue();
        return m.group();
    }

    private static String get(String url) throws IOException, InterruptedException {
        var response =
                java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return response.body();
    }

    /** In topic order, each model's versions are 1, 2, 3, ...: no gap, no repeat, none lower. */
    private static void assertVersionsStrictlyIncreasePerModel(List<ModelVersion> versions) {
        Map<String, Long> last = new HashMap<>();
        for (ModelVersion version : versions) {
            long previous = last.getOrDefault(version.getModel(), 0L);
            assertThat(version.getVersion())
                    .as("%s after version %d", version.getModel(), previous)
                    .isEqualTo(previous + 1);
            last.put(version.getModel(), version.getVersion());
        }
    }

    /** Interleaves the first rows of motes 1 and 2, as the live sensor network would send them. */
    private static Path sensorSlice(Path slice, int perMote) throws IOException {
        List<String> lines = Files.readAllLines(DATASETS.resolve("sensors-singlehop.csv"));
        List<String> mote1 =
                lines.stream()
                        .skip(1)
                        .filter(l -> l.split(",")[1].equals("1"))
                        .limit(perMote)
                        .toList();
        List<String> mote2 =
                lines.stream()
                        .skip(1)
                        .filter(l -> l.split(",")[1].equals("2"))
                        .limit(perMote)
                        .toList();
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        for (int i = 0; i < perMote; i++) {
            out.add(mote1.get(i));
            out.add(mote2.get(i));
        }
        return Files.write(slice, out);
    }

    private static <V> V awaitRecord(String bootstrap, Topic<?, V> topic, Predicate<V> wanted)
            throws InterruptedException {
        return CommittedRecords.await(bootstrap, topic, wanted, WAIT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
