package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.ImageFieldMapping;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's digit card as a person sees it: a cnn-classifier version serving, MNIST digits
 * scored by the scorer, and Debian's headless Chromium drawing the page. The card must show the
 * newest digit on a canvas with its saliency cells shaded and the digits before it as thumbnails; a
 * screenshot is kept at {@code target/dashboard-digit.png}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ImageCardBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MODEL = "digits";
    private static final int DIGITS = 6;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void theDigitCardDrawsTheNewestScoredDigitUnderItsSaliency() throws Exception {
        assumeTrue(
                HeadlessChromium.installed(),
                "Chromium is not installed (apt-get install chromium): skipping the browser test");
        Pipeline pipeline =
                PipelineFile.parse(
                        """
                        models:
                          - {name: digits, family: cnn-classifier, spec: {filters: "4", dense: 16}}
                        """,
                        "digits.yaml");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(pipeline.topics());
            }
            send(bootstrap, Topics.MODEL_VERSIONS, MODEL, version(pipeline));
            try (ScorerApp scorer =
                            ScorerApp.start(
                                    bootstrap,
                                    dir.resolve("scorer"),
                                    null,
                                    ScorerOptions.defaults()
                                            .withServed(pipeline)
                                            .withDefaultPolicy(ServingPolicy.FOLLOW));
                    Dashboard dashboard = Dashboard.start(bootstrap, 0, scorer.metrics())) {
                // Given the first MNIST digits of the shipped file, scored by the model
                List<ImageEvent> digits = firstDigits(DIGITS);
                for (ImageEvent digit : digits) {
                    send(bootstrap, Topics.IMAGE_EVENTS, digit.getId(), digit);
                }
                List<String> ids = digits.stream().map(ImageEvent::getId).toList();
                AtomicReference<String> newest = new AtomicReference<>();
                await(DIGITS + " scored digits with their images on the dashboard")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(
                                () -> {
                                    JsonNode latest = snapshot(dashboard).at("/image/latest");
                                    assertThat(latest)
                                            .extracting(s -> s.get("eventId").asText())
                                            .containsExactlyInAnyOrderElementsOf(ids);
                                    assertThat(latest)
                                            .allSatisfy(
                                                    s ->
                                                            assertThat(s.get("image").isObject())
                                                                    .isTrue());
                                    // Scores come from several partitions: newest as read.
                                    newest.set(latest.get(0).get("eventId").asText());
                                });

                // When the page is drawn
                HeadlessChromium chromium = new HeadlessChromium(dir.resolve("chromium-profile"));
                String page = dashboard.url() + "?snapshots=2";
                String dom = chromium.dumpDom(page, 15_000);

                // Then the card shows the newest digit with shaded cells and the others small
                assertThat(dom).contains("frozen after 2 live updates");
                assertThat(dom).doesNotContainPattern("id=\"image-card\"[^>]*hidden");
                assertThat(dom).contains("id=\"image-main\" data-event=\"" + newest.get() + "\"");
                Matcher drawn =
                        Pattern.compile(
                                        "id=\"image-canvas\"[^>]*data-drawn=\"28x28x1, (\\d+) cells"
                                                + " shaded\"")
                                .matcher(dom);
                assertThat(drawn.find()).as("the main canvas's data-drawn in the DOM").isTrue();
                assertThat(Integer.parseInt(drawn.group(1)))
                        .as("saliency cells shaded over the digit (7x7 in all)")
                        .isBetween(1, 49);
                assertThat(dom.split("class=\"image-thumb\"", -1)).hasSize(DIGITS);
                assertThat(dom)
                        .as("image scores counted among the scores seen")
                        .contains("id=\"kpi-scores\">" + DIGITS + "<");
                assertThat(dom)
                        .as("the throughput chart and the header: images only, no text or series")
                        .containsPattern("id=\"rate-chart\"[^>]*data-drawn=\"image\"")
                        .contains("<div class=\"kpi\"><span class=\"label\">image scored / s");

                Path png = Path.of("target", "dashboard-digit.png");
                Files.createDirectories(png.getParent());
                Files.deleteIfExists(png);
                chromium.screenshot(page, 15_000, png, 1400, 2200);
                assertThat(Files.size(png)).as("screenshot size").isGreaterThan(20_000);
            }
        }
    }

    /** The declared spec with the ten digit labels and small random weights, as version 1. */
    private static dev.streamlearn.schemas.avro.ModelVersion version(Pipeline pipeline) {
        ModelSpec spec =
                pipeline.models()
                        .get(0)
                        .modelSpec()
                        .with(CnnClassifierSpec.LABELS, "0,1,2,3,4,5,6,7,8,9");
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(3);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.2);
        }
        Instant now = Instant.now();
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance(MODEL, 1, 0, 0, Map.of(), List.of(), now));
    }

    private static List<ImageEvent> firstDigits(int n) throws Exception {
        ImageFieldMapping mapping =
                new ImageFieldMapping("id", List.of(), 28, 28, 1, "label", null);
        List<ImageEvent> digits = new java.util.ArrayList<>();
        try (FileRows rows = FileRows.open(Path.of("..", "datasets", "mnist-8k.csv.gz"))) {
            while (digits.size() < n && rows.hasNext()) {
                ImageEvent digit = mapping.map(rows.next()).value();
                digit.setEventTime(Instant.now());
                digits.add(digit);
            }
        }
        return digits;
    }

    private static JsonNode snapshot(Dashboard dashboard) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(dashboard.url() + "api/snapshot"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return AvroJson.MAPPER.readTree(response.body());
    }

    private static <K, V> void send(String bootstrap, Topic<K, V> topic, K key, V value)
            throws Exception {
        try (KafkaProducer<K, V> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }
}
