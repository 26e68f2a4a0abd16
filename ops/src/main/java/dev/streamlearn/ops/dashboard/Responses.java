package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.streamlearn.ops.json.AvroJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writing whole responses of the dashboard's server. */
final class Responses {
    private Responses() {}

    static void text(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange exchange, int status, JsonNode json) throws IOException {
        send(exchange, status, "application/json", AvroJson.MAPPER.writeValueAsBytes(json));
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
