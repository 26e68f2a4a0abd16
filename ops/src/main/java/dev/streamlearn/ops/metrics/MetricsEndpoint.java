package dev.streamlearn.ops.metrics;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Prometheus' text format at {@code GET /metrics} of {@code http://127.0.0.1:PORT}: the one way
 * every part of streamlearn (scorer, normalizer, ingestion, the trainer's Flink reporter, and the
 * dashboard, which mounts {@link #handler} beside its page) serves its metrics. Names and labels
 * are in ops/METRICS.md.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
 * try (MetricsEndpoint endpoint = MetricsEndpoint.start("scorer", 9401, registry::scrape)) {
 *     System.out.println(endpoint.url()); // http://127.0.0.1:9401/metrics
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
    /**
     * Prometheus' text exposition format 0.0.4, what both Micrometer and Flink's reporter write.
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService requests;
    private final String host;

    private MetricsEndpoint(HttpServer server, ExecutorService requests, String host) {
        this.server = server;
        this.requests = requests;
        this.host = host;
    }

    /**
     * A Micrometer registry with the JVM's meters (memory, threads, CPU, uptime), less the two
     * names promtool's lint refuses ({@code system_cpu_count}: a "_count" gauge; {@code
     * process_cpu_time_ns_total}: "ns" in a unit). {@code process_cpu_usage} and {@code
     * system_cpu_usage} say what they would.
     */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config()
                .meterFilter(
                        MeterFilter.deny(
                                id ->
                                        id.getName().equals("system.cpu.count")
                                                || id.getName().equals("process.cpu.time")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Answers every request with {@code scrape}'s text, taken at request time. */
    public static HttpHandler handler(Supplier<String> scrape) {
        return exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")
                        && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        };
    }

    /** As {@link #start(String, InetAddress, int, Supplier)} on 127.0.0.1. */
    public static MetricsEndpoint start(String what, int port, Supplier<String> scrape) {
        return start(what, InetAddress.getLoopbackAddress(), port, scrape);
    }

    /**
     * Serves {@code scrape} at {@code /metrics} on {@code bindAddress:port} (0 picks a free port;
     * see {@link #url()}). Another address than 127.0.0.1 is only for a container whose port the
     * host publishes on its own loopback.
     *
     * @param what who serves, for the error when the port is taken (e.g. {@code "scorer"})
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public static MetricsEndpoint start(
            String what, InetAddress bindAddress, int port, Supplier<String> scrape) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "metrics port " + port + " for the " + what + ": expected 0-65535");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve the "
                            + what
                            + "'s metrics on "
                            + bindAddress.getHostAddress()
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "); choose another port (0 picks a free one)",
                    e);
        }
        ExecutorService requests =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "streamlearn-metrics-" + what);
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(requests);
        server.createContext("/metrics", handler(scrape));
        server.start();
        String host = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : bindAddress.getHostAddress();
        return new MetricsEndpoint(server, requests, host);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where Prometheus scrapes, e.g. {@code http://127.0.0.1:9401/metrics}. */
    public String url() {
        return "http://" + host + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdownNow();
    }
}
