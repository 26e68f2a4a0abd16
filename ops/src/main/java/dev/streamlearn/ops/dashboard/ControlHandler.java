package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.models.registry.RegisteredModel;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.scorer.registry.ModelControls;
import dev.streamlearn.scorer.registry.RegistryReader;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /api/pin?model=M&version=V} and {@code POST /api/follow?model=M} (other methods are
 * answered 405): the page's pin and follow buttons, doing what {@code streamlearn models
 * pin|follow} does — the version must be held by the registry as the scorers see it, and the
 * decision goes to {@code model-control}.
 *
 * <p>Only 127.0.0.1 can reach the server, but any web page open in the same browser could still
 * post to it; so a request must carry the {@code X-Streamlearn} header (which a cross-site page
 * cannot send without a CORS preflight this server never grants) and name a loopback host (against
 * DNS rebinding).
 */
final class ControlHandler implements Handler {
    static final String REQUIRED_HEADER = "X-Streamlearn";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaConnection kafka;
    private final int versionsKept;
    private final VersionTrust trust;

    ControlHandler(KafkaConnection kafka, int versionsKept, VersionTrust trust) {
        this.trust = trust;
        this.kafka = kafka;
        this.versionsKept = versionsKept;
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        if (ctx.header(REQUIRED_HEADER) == null || !loopbackHost(ctx.header("Host"))) {
            reply(ctx, 403, false, "refused: not sent by the dashboard page");
            return;
        }
        Map<String, String> query = query(ctx);
        String action = ctx.path().substring("/api/".length());
        try {
            String message =
                    switch (action) {
                        case "pin" -> pin(query);
                        case "follow" -> follow(query);
                        default -> throw new IllegalArgumentException("unknown action " + action);
                    };
            reply(ctx, 200, true, message);
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, false, e.getMessage());
        } catch (RuntimeException e) {
            reply(
                    ctx,
                    503,
                    false,
                    "could not reach Kafka at " + kafka.bootstrap() + ": " + e.getMessage());
        }
    }

    private String pin(Map<String, String> query) {
        String name = required(query, "model");
        long version;
        try {
            version = Long.parseLong(required(query, "version"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "version must be a whole number, was '" + query.get("version") + "'");
        }
        RegisteredModel model = model(name);
        if (!model.holds(version)) {
            throw new IllegalArgumentException(
                    name
                            + " version "
                            + version
                            + " is not held by the registry, which keeps the last "
                            + versionsKept
                            + " accepted versions: "
                            + model.heldVersions());
        }
        ModelControls.pin(kafka, name, version, "pinned from the dashboard");
        return name + " pinned to version " + version;
    }

    private String follow(Map<String, String> query) {
        String name = required(query, "model");
        RegisteredModel model = model(name);
        ModelControls.follow(kafka, name, "follow latest from the dashboard");
        return name + " follows its latest version (now " + model.latest().getAsLong() + ")";
    }

    private RegisteredModel model(String name) {
        return RegistryReader.readModel(kafka, name, versionsKept, trust, READ_TIMEOUT)
                .model(name)
                .filter(m -> !m.held().isEmpty())
                .orElseThrow(
                        () -> new IllegalArgumentException("no versions of model '" + name + "'"));
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return value;
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]");
    }

    /** The query's parameters, the last value of each (as a form would send it once). */
    private static Map<String, String> query(Context ctx) {
        Map<String, String> params = new HashMap<>();
        ctx.queryParamMap()
                .forEach((name, values) -> params.put(name, values.get(values.size() - 1)));
        return params;
    }

    private static void reply(Context ctx, int status, boolean ok, String message)
            throws JsonProcessingException {
        ObjectNode body = AvroJson.MAPPER.createObjectNode();
        body.put("ok", ok);
        body.put("message", message);
        Responses.json(ctx, status, body);
    }
}
