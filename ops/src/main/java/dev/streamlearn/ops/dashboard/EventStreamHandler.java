package dev.streamlearn.ops.dashboard;

import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * {@code GET /events}: server-sent events (Javalin's {@link SseClient}), one {@code snapshot} event
 * per published snapshot, for as long as the page stays open. Each page holds one thread of {@code
 * streams} waiting for the next snapshot, which is fine for the handful of people watching one
 * pipeline. A comment line after 15 s without a snapshot keeps idle connections (and proxies) from
 * timing out and tells us when the page has gone.
 */
final class EventStreamHandler implements Consumer<SseClient> {
    private static final long KEEPALIVE_MS = 15_000;

    private final SnapshotPublisher publisher;
    private final ExecutorService streams;

    EventStreamHandler(SnapshotPublisher publisher, ExecutorService streams) {
        this.publisher = publisher;
        this.streams = streams;
    }

    @Override
    public void accept(SseClient client) {
        client.keepAlive(); // the response stays open when this returns, until client.close()
        streams.execute(() -> stream(client));
    }

    private void stream(SseClient client) {
        try (client) {
            if (!reconnectAfterTwoSeconds(client)) {
                return;
            }
            long seen = 0;
            SnapshotPublisher.Snapshot first = publisher.latest();
            if (first != null) {
                send(client, first);
                seen = first.sequence();
            }
            while (!client.terminated()) {
                SnapshotPublisher.Snapshot next = publisher.awaitAfter(seen, KEEPALIVE_MS);
                if (publisher.closed()) {
                    return;
                }
                if (next == null) {
                    client.sendComment("keepalive");
                } else {
                    send(client, next);
                    seen = next.sequence();
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(SseClient client, SnapshotPublisher.Snapshot snapshot) {
        client.sendEvent("snapshot", snapshot.json(), Long.toString(snapshot.sequence()));
    }

    /**
     * The stream's {@code retry} field, which SseClient has no method for: a browser reconnects
     * after 2 s (dashboard restarted, laptop slept) instead of its own default. False when the page
     * has already gone.
     */
    private static boolean reconnectAfterTwoSeconds(SseClient client) {
        try {
            client.ctx().res().getOutputStream().print("retry: 2000\n\n");
            client.ctx().res().flushBuffer();
            return true;
        } catch (IOException pageClosed) {
            return false;
        }
    }
}
