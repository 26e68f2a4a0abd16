package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.ops.json.AvroJson;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** Whole responses of the dashboard's server: never cached, as they change every second. */
final class Responses {
    private Responses() {}

    /** As {@code text/plain;charset=utf-8}, Jetty's spelling of a type it knows. */
    static void text(Context ctx, int status, String text) {
        send(ctx, status, "text/plain;charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void json(Context ctx, int status, JsonNode json) throws JsonProcessingException {
        send(ctx, status, "application/json", AvroJson.MAPPER.writeValueAsBytes(json));
    }

    static void json(Context ctx, int status, String json) {
        send(ctx, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    // Bytes, not a String: application/json names no charset, and JSON is UTF-8 by definition.
    private static void send(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status)
                .contentType(contentType)
                .header("Cache-Control", "no-store")
                .result(body);
    }
}
