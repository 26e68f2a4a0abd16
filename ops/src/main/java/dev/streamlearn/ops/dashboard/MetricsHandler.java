package dev.streamlearn.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the Prometheus text format, for a Prometheus server to scrape. */
final class MetricsHandler implements HttpHandler {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final DashboardMeters meters;

    MetricsHandler(PrometheusMeterRegistry registry, DashboardMeters meters) {
        this.registry = registry;
        this.meters = meters;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            meters.registerNew();
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            Responses.send(exchange, 200, CONTENT_TYPE, body);
        }
    }
}
