package dev.streamlearn.ops.metrics;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Makes {@link LoopbackPrometheusReporter}s; Flink finds it through {@code
 * META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    /** The reporter's name in Flink's configuration keys: {@code metrics.reporter.prom.*}. */
    public static final String NAME = "prom";

    public static final int DEFAULT_PORT = 9249;

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String value = properties.getProperty("port", String.valueOf(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "metrics.reporter." + NAME + ".port: '" + value + "' is not a port number");
        }
        return new LoopbackPrometheusReporter(port);
    }

    /** Flink settings that report this JVM's Flink metrics on 127.0.0.1:{@code port}. */
    public static Configuration configuration(int port) {
        return Configuration.fromMap(
                Map.of(
                        "metrics.reporter." + NAME + ".factory.class",
                        LoopbackPrometheusReporterFactory.class.getName(),
                        "metrics.reporter." + NAME + ".port",
                        String.valueOf(port)));
    }
}
