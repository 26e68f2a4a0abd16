package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.ops.json.AvroJson;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's server without Kafka: what it serves, what it refuses, what it says is wrong. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DashboardTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Dashboard dashboard;
    private static String nobody;

    @BeforeAll
    static void dashboardOfABrokerThatIsNotThere() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            nobody = "127.0.0.1:" + free.getLocalPort(); // closed again: nothing listens there
        }
        dashboard = Dashboard.start(nobody, 0);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void servesThePageAndChartJsFromItsWebJarOnLoopback() throws Exception {
        assertThat(dashboard.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/vendor/chart.js\">");
        HttpResponse<String> chartJs = get("vendor/chart.js");
        assertThat(chartJs.statusCode()).isEqualTo(200);
        assertThat(chartJs.body()).contains("Chart.js v4");
        assertThat(get("app.js").body()).contains("new EventSource('/events')");
        // A path that climbs out of the root is refused by Jetty itself, before any route.
        assertThat(get("../pom.xml").statusCode()).isEqualTo(400);
        assertThat(get("META-INF/MANIFEST.MF").statusCode()).isEqualTo(404);
    }

    @Test
    void saysOnThePageThatKafkaCannotBeReached() throws Exception {
        AtomicReference<JsonNode> latest = new AtomicReference<>();
        await("a feedProblem on the dashboard's snapshot")
                .atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)) // snapshots are taken once a second
                .untilAsserted(
                        () -> {
                            latest.set(snapshot());
                            assertThat(latest.get().has("feedProblem"))
                                    .as("feedProblem in %s", latest.get())
                                    .isTrue();
                        });
        JsonNode snapshot = latest.get();
        assertThat(snapshot.path("feedProblem").asText())
                .as("feedProblem in %s", snapshot)
                .contains("cannot reach Kafka at " + nobody);
        assertThat(snapshot.get("models").size()).isZero();
    }

    @Test
    void refusesControlRequestsThatDoNotComeFromThePage() throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(dashboard.url() + "api/pin?model=m&version=1"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(get("api/follow?model=m").statusCode())
                .as("GET is not an action")
                .isEqualTo(405);
    }

    @Test
    void exportsPrometheusMetrics() throws Exception {
        HttpResponse<String> metrics = get("metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# TYPE streamlearn_dashboard_records_read_total counter")
                .contains("streamlearn_dashboard_records_read_total{topic=\"model-versions\"} 0.0")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void loopbackHostsOnlyForActions() {
        assertThat(ControlHandler.loopbackHost("127.0.0.1:8080")).isTrue();
        assertThat(ControlHandler.loopbackHost("localhost:8080")).isTrue();
        assertThat(ControlHandler.loopbackHost("evil.example:8080")).isFalse();
        assertThat(ControlHandler.loopbackHost(null)).isFalse();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(dashboard.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode snapshot() throws Exception {
        return AvroJson.MAPPER.readTree(get("api/snapshot").body());
    }
}
