package dev.streamlearn.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page and its scripts, from the classpath: {@code dashboard/} of this jar, and Chart.js from
 * its WebJar (no CDN: the machines that run this are often offline). A fixed list of files, so no
 * request path ever reaches the classpath unchecked.
 */
final class StaticHandler implements HttpHandler {
    private static final String CHART_JS_WEBJAR = "META-INF/resources/webjars/chart.js/";

    private record Asset(String resource, String contentType) {}

    private final Map<String, Asset> assets;

    StaticHandler() {
        String chartJs = CHART_JS_WEBJAR + webjarVersion("chart.js") + "/dist/chart.umd.js";
        this.assets =
                Map.of(
                        "/", new Asset("dashboard/index.html", "text/html; charset=utf-8"),
                        "/app.js", new Asset("dashboard/app.js", "text/javascript; charset=utf-8"),
                        "/style.css", new Asset("dashboard/style.css", "text/css; charset=utf-8"),
                        "/vendor/chart.js", new Asset(chartJs, "text/javascript; charset=utf-8"));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Asset asset = assets.get(exchange.getRequestURI().getPath());
            if (asset == null) {
                Responses.text(exchange, 404, "not found: " + exchange.getRequestURI().getPath());
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = resource(asset.resource())) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", asset.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = StaticHandler.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing from the classpath: " + name);
        }
        return in;
    }

    /** The version of an npm WebJar on the classpath, from its Maven metadata. */
    private static String webjarVersion(String artifact) {
        String properties = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = resource(properties)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + properties, e);
        }
    }
}
