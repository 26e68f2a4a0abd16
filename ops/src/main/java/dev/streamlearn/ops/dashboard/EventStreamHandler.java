package dev.streamlearn.ops.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /events}: server-sent events, one {@code snapshot} event per published snapshot, for
 * as long as the page stays open. Each page holds one server thread, which is fine for the handful
 * of people watching one pipeline. A comment line every 15 s keeps idle connections (and proxies)
 * from timing out and tells us when the page has gone.
 */
final class EventStreamHandler implements HttpHandler {
    private static final long KEEPALIVE_MS = 15_000;

    private final SnapshotPublisher publisher;

    EventStreamHandler(SnapshotPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            // Reconnect after 2 s if the stream drops (dashboard restarted, laptop slept).
            write(out, "retry: 2000\n\n");
            long seen = 0;
            SnapshotPublisher.Snapshot first = publisher.latest();
            if (first != null) {
                write(out, event(first));
                seen = first.sequence();
            }
            while (!publisher.closed()) {
                SnapshotPublisher.Snapshot next = publisher.awaitAfter(seen, KEEPALIVE_MS);
                if (next == null) {
                    write(out, ": keepalive\n\n");
                } else {
                    write(out, event(next));
                    seen = next.sequence();
                }
            }
        } catch (IOException pageClosed) {
            // the browser went away: nothing to do
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private static String event(SnapshotPublisher.Snapshot snapshot) {
        return "id: "
                + snapshot.sequence()
                + "\nevent: snapshot\ndata: "
                + snapshot.json()
                + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
