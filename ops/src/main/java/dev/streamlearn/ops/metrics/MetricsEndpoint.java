package dev.streamlearn.ops.metrics;

import dev.streamlearn.ops.http.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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

    private final Javalin server;
    private final String host;

    private MetricsEndpoint(Javalin server, String host) {
        this.server = server;
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

    /** Answers with {@code scrape}'s text, taken at request time; mount it for GET and HEAD. */
    public static Handler handler(Supplier<String> scrape) {
        return ctx ->
                ctx.contentType(CONTENT_TYPE).result(scrape.get().getBytes(StandardCharsets.UTF_8));
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
        Handler handler = handler(scrape);
        Javalin server;
        try {
            server =
                    WebServer.start(
                            bindAddress,
                            port,
                            "streamlearn-metrics-" + what,
                            config -> {
                                config.routes.get("/metrics", handler);
                                config.routes.head("/metrics", handler);
                            });
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
        String host = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : bindAddress.getHostAddress();
        return new MetricsEndpoint(server, host);
    }

    public int port() {
        return server.port();
    }

    /** Where Prometheus scrapes, e.g. {@code http://127.0.0.1:9401/metrics}. */
    public String url() {
        return "http://" + host + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.stop();
    }
}
