package dev.streamlearn.ops.dashboard;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The page and its scripts, from the classpath: {@code dashboard/} of this jar, and Chart.js from
 * its WebJar (no CDN: the machines that run this are often offline). A fixed list of files, one GET
 * route each, so no request path ever reaches the classpath; any other path is answered {@code 404
 * not found: PATH}.
 */
final class StaticHandler {
    private static final String CHART_JS_WEBJAR = "META-INF/resources/webjars/chart.js/";

    // Content types as sent: Jetty writes the types it knows (text/html with UTF-8) its own way,
    // without the space before the charset, and the others as given.
    private record Asset(String resource, String contentType) {}

    private final Map<String, Asset> assets;

    StaticHandler() {
        String chartJs = CHART_JS_WEBJAR + webjarVersion("chart.js") + "/dist/chart.umd.js";
        this.assets =
                Map.of(
                        "/", new Asset("dashboard/index.html", "text/html;charset=utf-8"),
                        "/app.js", new Asset("dashboard/app.js", "text/javascript; charset=utf-8"),
                        "/style.css", new Asset("dashboard/style.css", "text/css; charset=utf-8"),
                        "/vendor/chart.js", new Asset(chartJs, "text/javascript; charset=utf-8"));
    }

    /** Adds the files' routes, and the answer to paths that are none of the server's. */
    void addTo(JavalinConfig config) {
        assets.forEach(
                (path, asset) ->
                        config.routes.get(
                                path,
                                ctx -> {
                                    byte[] body;
                                    try (InputStream in = resource(asset.resource())) {
                                        body = in.readAllBytes();
                                    }
                                    ctx.contentType(asset.contentType())
                                            .header("Cache-Control", "no-cache")
                                            .result(body);
                                }));
        config.routes.error(404, ctx -> Responses.text(ctx, 404, "not found: " + ctx.path()));
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
