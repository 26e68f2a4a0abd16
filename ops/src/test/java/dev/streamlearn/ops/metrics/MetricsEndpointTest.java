package dev.streamlearn.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryAtSlashMetricsOnTheLoopbackOnly() throws Exception {
        // Given a registry with one counter
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        Counter.builder("streamlearn.test.things").register(registry).increment(3);
        // When it is served on a free port
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("test", 0, registry::scrape)) {
            // Then it answers on 127.0.0.1 in Prometheus' text format, with the JVM's meters
            assertThat(endpoint.url()).startsWith("http://127.0.0.1:").endsWith("/metrics");
            HttpResponse<String> scrape = get(endpoint.url());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValue(MetricsEndpoint.CONTENT_TYPE);
            assertThat(scrape.body())
                    .contains("streamlearn_test_things_total 3.0")
                    .contains("jvm_memory_used_bytes")
                    .doesNotContain("system_cpu_count")
                    .doesNotContain("process_cpu_time_ns_total");
        }
    }

    @Test
    void aTakenPortIsRefusedNamingThePartAndTheAddress() {
        try (MetricsEndpoint first = MetricsEndpoint.start("scorer", 0, () -> "")) {
            assertThatThrownBy(() -> MetricsEndpoint.start("normalizer", first.port(), () -> ""))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("normalizer")
                    .hasMessageContaining("127.0.0.1:" + first.port())
                    .hasMessageContaining("0 picks a free one");
        }
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> MetricsEndpoint.start("scorer", 70000, () -> ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics port 70000 for the scorer: expected 0-65535");
    }

    @Test
    void theFlinkReporterServesOnTheLoopbackWhileOpen() throws Exception {
        // Given the reporter as Flink makes it from metrics.reporter.prom.port: 0 (its metrics
        // from a running job are checked in ComposeWiringIT and LocalPipelineIT)
        Properties config = new Properties();
        config.setProperty("port", "0");
        MetricReporter reporter =
                new LoopbackPrometheusReporterFactory().createMetricReporter(config);
        // When Flink opens it
        reporter.open(new MetricConfig());
        String url;
        try {
            // Then it answers on 127.0.0.1, and this JVM knows where
            assertThat(LoopbackPrometheusReporter.urls()).hasSize(1);
            url = LoopbackPrometheusReporter.urls().get(0);
            assertThat(url).startsWith("http://127.0.0.1:").endsWith("/metrics");
            HttpResponse<String> scrape = get(url);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValue(MetricsEndpoint.CONTENT_TYPE);
        } finally {
            reporter.close();
        }
        // And closed, it is gone
        assertThat(LoopbackPrometheusReporter.urls()).isEmpty();
        assertThatThrownBy(() -> get(url)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aReporterPortThatIsNotANumberIsRefusedNamingTheKey() {
        Properties config = new Properties();
        config.setProperty("port", "nine");
        assertThatThrownBy(
                        () -> new LoopbackPrometheusReporterFactory().createMetricReporter(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics.reporter.prom.port: 'nine' is not a port number");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
