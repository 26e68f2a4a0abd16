package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.ops.metrics.Promtool;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import dev.streamlearn.schemas.avro.VectorScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ModelVersions;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.registry.ModelControls;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a person sees it: a real broker with published versions (text v1..v3 following
 * the latest, the forecaster pinned to v1 of two), a scorer scoring text and series events, the
 * trainer's DRIFT record for the text model on {@code model-events}, vector scores on {@code
 * vector-scores} as an mlp-classifier's scorer writes them (the dashboard only reads the topic),
 * and the dashboard read by Debian's headless Chromium — its DOM must show the serving versions, an
 * explained text score, the drift on the text model's timeline and every family that scored in the
 * header and the throughput chart; a screenshot is kept at {@code target/dashboard.png}. The pin
 * and follow buttons' endpoint is checked end to end: the scorers serve what it chose.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TEXT = "text-classifier";
    private static final String SERIES = "lstm-forecaster";
    private static final String VECTOR = "xor";
    private static final int VECTORS = 5;

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static ScorerApp scorer;
    private static Dashboard dashboard;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void pipelineWithScores() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = KafkaAdmin.connect(bootstrap)) {
            new TopicInstaller(admin).install(Topics.all());
        }
        for (long v = 1; v <= 3; v++) {
            publishVersion(ModelVersions.text(v), 0.70 + 0.08 * v, 0.62);
        }
        for (long v = 1; v <= 2; v++) {
            publishVersion(ModelVersions.series(v), 0.5 / v, 0.45);
        }
        ModelControls.pin(bootstrap, SERIES, 1, "hold v1 while v2 is checked");
        send(Topics.MODEL_EVENTS, TEXT, drift(ModelVersions.text(3)));
        send(Topics.MODEL_VERSIONS, VECTOR, vectorVersion());
        for (int i = 0; i < VECTORS; i++) {
            send(Topics.VECTOR_SCORES, "xor-" + i, vectorScore("xor-" + i));
        }
        // Without the promotion gate, so each text version serves on arrival.
        ModelControls.follow(bootstrap, TEXT, "serve the latest");
        scorer = ScorerApp.start(bootstrap, dir.resolve("scorer"), null, ScorerOptions.defaults());
        dashboard = Dashboard.start(bootstrap, 0, scorer.metrics()); // as `local` starts it
        sendTexts("a", 6);
        for (int i = 0; i < 40; i++) {
            double value = 20 + Math.sin(i / 4.0) + (i == 30 ? 6 : 0); // one spike
            send(
                    Topics.SERIES_POINTS,
                    "sensor-1",
                    new SeriesPoint(
                            "sensor-1", Instant.ofEpochSecond(1_800_000_000L + 60L * i), value));
        }
        awaitSnapshot(
                "text v3 serving, the forecaster pinned to v1, an explained text score, forecasts,"
                        + " the scorer's consumer lag, the text model's drift and the vector scores",
                s ->
                        s.at("/models/" + TEXT + "/serving").asLong() == 3
                                && s.at("/models/" + TEXT + "/decisions")
                                        .findValuesAsText("decision")
                                        .contains("DRIFT")
                                && s.at("/scorer/vectorScores").asLong() == VECTORS
                                && s.at("/models/" + SERIES + "/serving").asLong() == 1
                                && s.at("/models/" + SERIES + "/pinned").asBoolean()
                                && hasExplainedScore(s)
                                && s.at("/scorer/lag").has("streamlearn-scorer")
                                && s.at("/series/series/sensor-1").size() >= 30);
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (scorer != null) {
            scorer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void pageShowsTheServingVersionsAndAnExplainedTextScore() throws Exception {
        assumeTrue(
                HeadlessChromium.installed(),
                "Chromium is not installed (apt-get install chromium): skipping the browser test");
        HeadlessChromium chromium = new HeadlessChromium(dir.resolve("chromium-profile"));
        // The page stops listening after 2 live updates, so the headless browser's virtual clock,
        // which stands still while a request is open, can run out and print the page.
        String page = dashboard.url() + "?snapshots=2";

        String dom = chromium.dumpDom(page, 15_000);

        assertThat(dom)
                .as("the page received live updates")
                .contains("frozen after 2 live updates");
        assertThat(servingVersion(dom, TEXT)).as("text model serving, in the DOM").isEqualTo("3");
        assertThat(servingVersion(dom, SERIES)).as("forecaster serving, in the DOM").isEqualTo("1");
        assertThat(dom).contains("pinned to v1").contains("follows latest");
        assertThat(dom)
                .as("the trainer's lag and mini-batch size from training-metrics")
                .contains("trainer lag <b class=\"lag\">1.50 s</b>")
                .contains("mini-batch <b class=\"batch-size\">32</b>");
        assertThat(dom)
                .as("the forecaster's MAE beside its seasonal naive and AR baselines'")
                .containsPattern("seasonal naive <b class=\"seasonal-naive better\">[0-9.]+</b>")
                .containsPattern("AR <b class=\"auto-regression worse\">[0-9.]+</b>");
        assertThat(dom)
                .as("the scorer's consumer lag")
                .contains("data-group=\"streamlearn-scorer\"");
        assertThat(dom)
                .as("produced-to-scored latency of the text events")
                .containsPattern("id=\"kpi-latency\">\\d+(\\.\\d)? m?s · \\d");
        assertThat(dom)
                .as("a text score whose text has its explaining tokens highlighted")
                .containsPattern(
                        Pattern.compile(
                                "<div class=\"text-body\">(?:(?!</div>).)*<mark class=\"token (?:pos|neg)\"",
                                Pattern.DOTALL));
        assertThat(canvasDrawn(dom, TEXT, "timeline-chart"))
                .as("the text model's timeline: its 3 versions and the trainer's drift at v3")
                .matches("version 3, promoted \\d+, rejected \\d+, drift 1");
        assertThat(dom)
                .as("the drift among the text model's facts, not as a gate decision")
                .containsPattern(
                        "drift at <b class=\"worse drift\" title=\"drift: ADWIN[^\"]*\">v3</b>")
                .doesNotContain("gate-decision\">drift");
        Matcher scores =
                Pattern.compile(
                                "<div class=\"kpi\" title=\"text (\\d+) · series (\\d+) · vector (\\d+)\">"
                                        + "<span class=\"label\">scores seen</span>"
                                        + "<span class=\"value\" id=\"kpi-scores\">(\\d+)<")
                        .matcher(dom);
        assertThat(scores.find()).as("the scores seen per kind, in the DOM").isTrue();
        assertThat(Integer.parseInt(scores.group(3))).isEqualTo(VECTORS);
        assertThat(Integer.parseInt(scores.group(4)))
                .as("scores seen: text, series and vector scores together")
                .isEqualTo(
                        Integer.parseInt(scores.group(1))
                                + Integer.parseInt(scores.group(2))
                                + VECTORS);
        assertThat(dom)
                .as("a rate for vector scores in the header, none for images")
                .contains("<div class=\"kpi\"><span class=\"label\">vector scored / s")
                .contains("<div class=\"kpi\" hidden=\"\"><span class=\"label\">image scored / s");
        assertThat(dom)
                .as("the throughput chart's legend: each kind that scored")
                .containsPattern("id=\"rate-chart\"[^>]*data-drawn=\"text, series, vector\"");

        Path png = Path.of("target", "dashboard.png");
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium.screenshot(page, 15_000, png, 1400, 1800);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("screenshot size").isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
    }

    @Test
    @Order(2)
    void pinAndFollowFromThePageChangeWhatTheScorersServe() throws Exception {
        HttpResponse<String> pin = post("/api/pin?model=" + TEXT + "&version=2", true);
        assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
        assertThat(pin.body()).contains("text-classifier pinned to version 2");
        awaitSnapshot(
                "text-classifier pinned to v2",
                s ->
                        s.at("/models/" + TEXT + "/pinned").asBoolean()
                                && s.at("/models/" + TEXT + "/serving").asLong() == 2);

        sendTexts("after-pin", 3);
        awaitSnapshot(
                "a text score made by v2 after the pin",
                s -> s.at("/text/latest").findValuesAsText("modelVersion").contains("2"));

        HttpResponse<String> follow = post("/api/follow?model=" + TEXT, true);
        assertThat(follow.statusCode()).as(follow.body()).isEqualTo(200);
        awaitSnapshot(
                "text-classifier following v3 again",
                s ->
                        !s.at("/models/" + TEXT + "/pinned").asBoolean()
                                && s.at("/models/" + TEXT + "/serving").asLong() == 3);
    }

    @Test
    @Order(3)
    void refusesAPinOfAVersionNotHeldAndRequestsFromOtherPages() throws Exception {
        HttpResponse<String> notHeld = post("/api/pin?model=" + TEXT + "&version=9", true);
        assertThat(notHeld.statusCode()).isEqualTo(400);
        assertThat(notHeld.body()).contains("version 9 is not held").contains("[1, 2, 3]");

        HttpResponse<String> crossSite = post("/api/pin?model=" + TEXT + "&version=2", false);
        assertThat(crossSite.statusCode()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void metricsEndpointServesWhatPromtoolAccepts() throws Exception {
        HttpResponse<String> scrape =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(dashboard.metricsUrl())).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        String metrics = scrape.body();
        assertThat(metrics)
                .contains("streamlearn_model_version_serving{model=\"text-classifier\"} 3.0")
                .contains("streamlearn_model_version_latest{model=\"lstm-forecaster\"} 2.0")
                .contains("streamlearn_model_pinned{model=\"lstm-forecaster\"} 1.0")
                .contains("streamlearn_model_training_batch_size{model=\"text-classifier\"} 32.0")
                .contains("streamlearn_model_training_lag_seconds{model=\"lstm-forecaster\"} 1.5")
                .contains("streamlearn_consumer_group_lag{group=\"streamlearn-scorer\"}");
        assertThat(value(metrics, "streamlearn_scorer_series_scored_total"))
                .as("series points scored by this scorer (40 sent)")
                .isBetween(30.0, 40.0);
        assertThat(value(metrics, "streamlearn_scores_seen_total{kind=\"series\"}"))
                .as("series scores the dashboard read")
                .isBetween(30.0, 40.0);
        assertThat(value(metrics, "streamlearn_scores_seen_total{kind=\"vector\"}"))
                .as("vector scores the dashboard read")
                .isEqualTo(VECTORS);
        assertThat(value(metrics, "streamlearn_scorer_text_scored_total"))
                .as("text events scored by this scorer (6 before the pin test, 3 after)")
                .isGreaterThanOrEqualTo(6);

        assumeTrue(
                Promtool.installed(),
                "promtool is not installed (apt-get install prometheus): skipping its check");
        Promtool.Verdict verdict = Promtool.checkMetrics(metrics);
        assertThat(verdict.complaints()).as("promtool check metrics output").isEmpty();
        assertThat(verdict.exit()).as("promtool check metrics exit").isZero();
    }

    private static double value(String metrics, String name) {
        var m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String servingVersion(String dom, String model) {
        int card = dom.indexOf("data-model=\"" + model + "\"");
        assertThat(card).as("a card for " + model + " in the DOM").isNotNegative();
        var m =
                Pattern.compile("class=\"serving-version\" data-version=\"(\\d+)\">v\\1<")
                        .matcher(dom);
        assertThat(m.find(card)).as("a serving version in the card of " + model).isTrue();
        return m.group(1);
    }

    /** What a model card's canvas says it drew (its {@code data-drawn}). */
    private static String canvasDrawn(String dom, String model, String canvasClass) {
        int card = dom.indexOf("data-model=\"" + model + "\"");
        assertThat(card).as("a card for " + model + " in the DOM").isNotNegative();
        Matcher m =
                Pattern.compile("class=\"" + canvasClass + "\"[^>]*data-drawn=\"([^\"]*)\"")
                        .matcher(dom);
        assertThat(m.find(card)).as("data-drawn on the " + canvasClass + " of " + model).isTrue();
        return m.group(1);
    }

    /**
     * The trainer's record of a drift in the text model's live loss while {@code newest} was its
     * newest version (trainer.training.DriftEvents' shape), a moment after that version.
     */
    private static ModelEvent drift(ModelVersion newest) {
        return ModelEvent.newBuilder()
                .setModel(newest.getModel())
                .setVersion(newest.getVersion())
                .setDecision(GateDecision.DRIFT)
                .setEvents(60)
                .setDifferenceBound(0.41)
                .setReason(
                        "drift: ADWIN on the trainer's live loss found it 0.410 higher over the"
                                + " last 60 examples than before, at example 300; action: boost")
                .setAt(newest.getCreatedAt().plusMillis(500))
                .build();
    }

    /** Version 1 of a small mlp-classifier on two features, small random weights. */
    private static ModelVersion vectorVersion() {
        ModelSpec spec =
                MlpClassifierSpec.defaults().with(MlpClassifierSpec.LABELS, "same,different");
        float[] params = new float[ParameterLayout.of(spec).size()];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.2);
        }
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance(VECTOR, 1, 0, 0, Map.of(), List.of(), Instant.now()));
    }

    private static VectorScore vectorScore(String id) {
        Instant now = Instant.now();
        return new VectorScore(
                id,
                now,
                "same",
                Map.of("same", 0.7, "different", 0.3),
                List.of(0.4, -0.2),
                "same",
                VECTOR,
                1L,
                now);
    }

    private static boolean hasExplainedScore(JsonNode snapshot) {
        for (JsonNode score : snapshot.at("/text/latest")) {
            if (score.get("topTokens").size() > 0 && score.get("text").isTextual()) {
                return true;
            }
        }
        return false;
    }

    private static void sendTexts(String prefix, int n) throws Exception {
        String[] texts = {
            "Cheap loans, act now and win money today",
            "Meeting notes for the release planning on Monday",
            "You have won a free prize, click the link",
        };
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            send(
                    Topics.TEXT_EVENTS,
                    id,
                    new TextEvent(
                            id,
                            Instant.now(),
                            texts[i % texts.length],
                            i % 2 == 0 ? "spam" : "ham"));
        }
    }

    private static void publishVersion(ModelVersion version, double metric, double baseline)
            throws Exception {
        send(Topics.MODEL_VERSIONS, version.getModel(), version);
        String name = version.getModel().equals(TEXT) ? "fadingAccuracy" : "fadingMae";
        send(
                Topics.TRAINING_METRICS,
                version.getModel(),
                TrainingMetrics.newBuilder()
                        .setModel(version.getModel())
                        .setVersion(version.getVersion())
                        .setExamplesSeen(version.getExamplesSeen())
                        .setLoss(1.0 / version.getVersion())
                        .setMetrics(metrics(version.getModel(), name, metric, baseline))
                        .setExamplesPerSecond(100.0)
                        .setAt(version.getCreatedAt())
                        .setBatchSize(32)
                        .setLagMillis(1_500L)
                        .build());
    }

    /**
     * The metric and persistence's baseline; a forecaster also publishes its seasonal naive and
     * online AR baselines on the same points (one below the model's MAE, one above).
     */
    private static Map<String, Double> metrics(
            String model, String name, double metric, double baseline) {
        if (!model.equals(SERIES)) {
            return Map.of(name, metric, "baseline." + name, baseline);
        }
        return Map.of(
                name,
                metric,
                "baseline." + name,
                baseline,
                "seasonalNaive." + name,
                metric + 0.1,
                "autoRegression." + name,
                metric - 0.05);
    }

    private static <K, V> void send(Topic<K, V> topic, K key, V value) throws Exception {
        try (KafkaProducer<K, V> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode snapshot() throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(dashboard.url() + "api/snapshot"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return AvroJson.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, boolean fromThePage) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1)))
                        .POST(HttpRequest.BodyPublishers.noBody());
        if (fromThePage) {
            request.header("X-Streamlearn", "dashboard");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the dashboard's snapshot until {@code condition} holds; fails naming what arrived. */
    private static JsonNode awaitSnapshot(String expected, Predicate<JsonNode> condition) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await(expected)
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)) // the snapshot changes at most once a second
                .untilAsserted(
                        () -> {
                            last.set(snapshot());
                            String seen = last.get().toString();
                            assertThat(condition.test(last.get()))
                                    .as(
                                            "the dashboard showed: %s",
                                            seen.length() > 3000
                                                    ? seen.substring(0, 3000) + "…"
                                                    : seen)
                                    .isTrue();
                        });
        return last.get();
    }
}
