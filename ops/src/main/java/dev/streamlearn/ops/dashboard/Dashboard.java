package dev.streamlearn.ops.dashboard;

import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.http.WebServer;
import dev.streamlearn.ops.metrics.MetricsEndpoint;
import dev.streamlearn.ops.metrics.ScorerMeters;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live dashboard: a web page at {@code /} of {@code http://127.0.0.1:PORT}, fed by server-sent
 * events ({@code /events}) from the pipeline's topics, with pin / follow buttons ({@code /api/pin},
 * {@code /api/follow}) and Prometheus metrics at {@code /metrics}. Started by {@code streamlearn
 * dashboard} and by {@code streamlearn local}.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start("127.0.0.1:9092", 8080)) {
 *     System.out.println(dashboard.url());
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    private static final long LAG_PERIOD_SECONDS = 5;
    private final Javalin server;
    private final TopicFeed feed;
    private final SnapshotPublisher publisher;
    private final ExecutorService streams;
    private final PrometheusMeterRegistry registry;
    private final ScheduledExecutorService lagTimer;
    private final ConsumerLag lag;

    private Dashboard(
            Javalin server,
            TopicFeed feed,
            SnapshotPublisher publisher,
            ExecutorService streams,
            PrometheusMeterRegistry registry,
            ScheduledExecutorService lagTimer,
            ConsumerLag lag) {
        this.server = server;
        this.feed = feed;
        this.publisher = publisher;
        this.streams = streams;
        this.registry = registry;
        this.lagTimer = lagTimer;
        this.lag = lag;
    }

    /**
     * Starts reading the topics on {@code bootstrap} and serving on 127.0.0.1:{@code port} (0 picks
     * a free port; see {@link #url()}).
     */
    public static Dashboard start(String bootstrap, int port) {
        return start(bootstrap, port, (ScorerMetrics) null);
    }

    /**
     * As {@link #start(String, int)}, and also exports the counters of a scorer running in this
     * process at {@code /metrics}; {@code scorerMetrics} may be null. Like a scorer started with
     * {@code ScorerOptions.defaults()}, it shows unsigned versions as served.
     */
    public static Dashboard start(String bootstrap, int port, ScorerMetrics scorerMetrics) {
        return start(
                bootstrap,
                InetAddress.getLoopbackAddress(),
                port,
                VersionTrust.unsignedOnly(),
                scorerMetrics);
    }

    /**
     * As {@link #start(String, int, ScorerMetrics)} on another address than 127.0.0.1 (only for a
     * container, whose port the host then publishes on its own loopback, as docker-compose.yml
     * does), showing as served only the versions {@code trust} accepts, as the scorers do.
     */
    public static Dashboard start(
            String bootstrap,
            InetAddress bindAddress,
            int port,
            VersionTrust trust,
            ScorerMetrics scorerMetrics) {
        return start(KafkaConnection.plaintext(bootstrap), bindAddress, port, trust, scorerMetrics);
    }

    /**
     * As {@link #start(String, InetAddress, int, VersionTrust, ScorerMetrics)} through {@code
     * kafka}: its connection settings reach the dashboard's every Kafka client.
     */
    public static Dashboard start(
            KafkaConnection kafka,
            InetAddress bindAddress,
            int port,
            VersionTrust trust,
            ScorerMetrics scorerMetrics) {
        return create(
                kafka,
                bindAddress,
                port,
                trust,
                registry -> {
                    if (scorerMetrics != null) {
                        ScorerMeters.bind(registry, scorerMetrics);
                    }
                });
    }

    /**
     * As {@link #start(String, int)}, showing as served only the versions {@code trust} accepts
     * (the scorers' trust), and also exporting at {@code /metrics} what {@code processMeters}
     * binds: the counters of the parts running in this process (as {@code streamlearn local} has
     * its scorer's and normalizer's).
     */
    public static Dashboard start(
            String bootstrap, int port, VersionTrust trust, Consumer<MeterRegistry> processMeters) {
        return create(
                KafkaConnection.plaintext(bootstrap),
                InetAddress.getLoopbackAddress(),
                port,
                trust,
                processMeters);
    }

    private static Dashboard create(
            KafkaConnection kafka,
            InetAddress bindAddress,
            int port,
            VersionTrust trust,
            Consumer<MeterRegistry> processMeters) {
        int versionsKept = RegistryState.DEFAULT_VERSIONS_KEPT;
        DashboardState state = new DashboardState(Clock.systemUTC(), versionsKept, trust);
        TopicFeed feed = new TopicFeed(kafka, state::accept, state::feedProblem);
        SnapshotPublisher publisher = new SnapshotPublisher(state);
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        processMeters.accept(registry);
        DashboardMeters meters = new DashboardMeters(registry, state, feed);

        // One thread per open page, waiting for the next snapshot to send it.
        ExecutorService streams =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "streamlearn-dashboard-events");
                            t.setDaemon(true);
                            return t;
                        });
        EventStreamHandler events = new EventStreamHandler(publisher, streams);
        ControlHandler control = new ControlHandler(kafka, versionsKept, trust);
        Handler metrics =
                MetricsEndpoint.handler(
                        () -> {
                            meters.registerNew();
                            return registry.scrape();
                        });
        Javalin server;
        try {
            server =
                    WebServer.start(
                            bindAddress,
                            port,
                            "streamlearn-dashboard-http",
                            config -> {
                                new StaticHandler().addTo(config);
                                config.routes.sse("/events", events);
                                config.routes.get(
                                        "/api/snapshot",
                                        ctx -> Responses.json(ctx, 200, publisher.latest().json()));
                                config.routes.post("/api/pin", control);
                                config.routes.post("/api/follow", control);
                                config.routes.get("/metrics", metrics);
                                config.routes.head("/metrics", metrics);
                            });
        } catch (IOException e) {
            streams.shutdownNow();
            feed.close();
            publisher.close();
            throw new UncheckedIOException(
                    "cannot serve the dashboard on "
                            + bindAddress.getHostAddress()
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        ConsumerLag lag = new ConsumerLag(kafka);
        ScheduledExecutorService lagTimer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "streamlearn-dashboard-lag");
                            t.setDaemon(true);
                            return t;
                        });
        lagTimer.scheduleWithFixedDelay(
                () -> {
                    try {
                        state.lag(lag.read());
                    } catch (Exception e) {
                        // Kafka away for a moment: the topic feed reports that; try again later.
                    }
                },
                0,
                LAG_PERIOD_SECONDS,
                TimeUnit.SECONDS);
        feed.start();
        publisher.start();
        return new Dashboard(server, feed, publisher, streams, registry, lagTimer, lag);
    }

    /** Where the page is, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** Where Prometheus scrapes, e.g. {@code http://127.0.0.1:8080/metrics}. */
    public String metricsUrl() {
        return url() + "metrics";
    }

    @Override
    public void close() {
        publisher.close(); // ends the open event streams first, so stop() need not wait for them
        server.stop();
        streams.shutdownNow();
        lagTimer.shutdownNow();
        lag.close();
        feed.close();
        registry.close();
    }
}
