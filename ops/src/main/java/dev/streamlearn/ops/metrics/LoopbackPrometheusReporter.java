package dev.streamlearn.ops.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus reporter ({@code flink-metrics-prometheus}: the same metric names, labels and
 * formatting as {@code PrometheusReporter}) served by {@link MetricsEndpoint} on 127.0.0.1 only.
 * Flink's own {@code PrometheusReporter} binds its port on every interface, which is right inside a
 * container (docker-compose.yml uses it) but not on a developer's machine, where the trainer's
 * MiniCluster ({@code streamlearn train}, {@code local}) and the ITs' Flink processes run.
 *
 * <p>Configured like Flink's: {@code metrics.reporter.prom.factory.class:
 * dev.streamlearn.ops.metrics.LoopbackPrometheusReporterFactory} and {@code
 * metrics.reporter.prom.port: 9249} (0 picks a free port; {@link #urls()} says which).
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private static final List<String> OPEN = new CopyOnWriteArrayList<>();

    private final int port;
    private MetricsEndpoint endpoint;

    LoopbackPrometheusReporter(int port) {
        this.port = port;
    }

    /** The URLs of the reporters open in this JVM (a MiniCluster has one). */
    public static List<String> urls() {
        return List.copyOf(OPEN);
    }

    @Override
    public void open(MetricConfig config) {
        super.open(config);
        CollectorRegistry registry = registryOf(this);
        endpoint = MetricsEndpoint.start("trainer (Flink)", port, () -> scrape(registry));
        OPEN.add(endpoint.url());
        log.info("Flink metrics for Prometheus at {}", endpoint.url());
    }

    @Override
    public void close() {
        if (endpoint != null) {
            OPEN.remove(endpoint.url());
            endpoint.close();
        }
        super.close();
    }

    private static String scrape(CollectorRegistry registry) {
        StringWriter text = new StringWriter();
        try {
            TextFormat.write004(text, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * The reporter's own registry. Flink keeps it package-private and offers no way to serve it on
     * another address, so it is read once, here; a Flink upgrade that renames it fails loudly at
     * start, not silently.
     */
    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(reporter);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(
                    "this flink-metrics-prometheus version keeps no CollectorRegistry 'registry'"
                            + " in AbstractPrometheusReporter; update LoopbackPrometheusReporter",
                    e);
        }
    }
}
