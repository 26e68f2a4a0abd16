package dev.streamlearn.ops.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Javalin (Jetty 12) server under every HTTP endpoint of streamlearn: the dashboard and each
 * part's {@code /metrics}. It binds one address and port (0 picks a free one), runs on daemon
 * threads named after what it serves, and keeps quiet: no banner, no start-up watcher, nothing on
 * stdout, which carries the commands' status lines and data.
 *
 * <pre>{@code
 * Javalin server =
 *         WebServer.start(InetAddress.getLoopbackAddress(), 0, "streamlearn-metrics",
 *                 config -> config.routes.get("/metrics", ctx -> ctx.result(registry.scrape())));
 * }</pre>
 */
public final class WebServer {
    // A few clients on the loopback (a browser tab or two, a Prometheus): not a web site.
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;

    private WebServer() {}

    /**
     * Starts a server with the routes {@code setup} adds, bound to {@code address:port}.
     *
     * @param threadName prefix of its threads' names, e.g. {@code streamlearn-dashboard-http}
     * @throws IOException when the address cannot be bound (its message says why, e.g. "Address
     *     already in use"), before any thread starts; callers name the address and the flag
     */
    public static Javalin start(
            InetAddress address, int port, String threadName, Consumer<JavalinConfig> setup)
            throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName(threadName);
        threads.setDaemon(true); // an endpoint never keeps a command's JVM up on its own
        Javalin server =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.startup.showOldJavalinVersionWarning = false;
                            config.startup.startupWatcherEnabled = false;
                            config.jetty.threadPool = threads;
                            // Prometheus and the page on 127.0.0.1 gain nothing from gzip
                            // but the CPU it costs.
                            config.http.compressionStrategy = CompressionStrategy.NONE;
                            // A known path asked with another method: 405 with Allow, not 404.
                            config.http.prefer405over404 = true;
                            config.jetty.addConnector(
                                    (jetty, http) -> boundConnector(jetty, http, address, port));
                            setup.accept(config);
                        });
        try {
            return server.start();
        } catch (UncheckedIOException cannotBind) {
            throw cannotBind.getCause();
        }
    }

    /**
     * A connector already bound: Javalin binds inside Jetty's start, logs "Failed to start Javalin"
     * at ERROR and throws its own "Port already in use" message; binding here first leaves the
     * message to the caller, which knows the flag.
     */
    private static ServerConnector boundConnector(
            Server jetty, HttpConfiguration http, InetAddress address, int port) {
        ServerConnector connector =
                new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostAddress());
        connector.setPort(port);
        try {
            connector.open();
        } catch (IOException e) {
            // Jetty wraps the BindException in "Failed to bind to /127.0.0.1:9401"; the cause's
            // "Address already in use" is the reason the caller's message adds to the address.
            throw new UncheckedIOException(e.getCause() instanceof IOException reason ? reason : e);
        }
        return connector;
    }
}
