package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.streamlearn.ops.json.AvroJson;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the {@link DashboardState} into one JSON snapshot at most once a second, and wakes the page
 * streams waiting for it. Whole snapshots rather than deltas: a page that connects, or reconnects
 * after a drop, is complete with the first message, and on 127.0.0.1 the size (tens of kilobytes)
 * costs nothing. A snapshot is also taken every few seconds without new records, because the rates
 * and "ago" figures move with the clock.
 */
final class SnapshotPublisher implements AutoCloseable {
    private static final long PERIOD_MS = 1_000;
    private static final int IDLE_TICKS_BEFORE_REFRESH = 5;

    /** A published snapshot and its sequence number (1, 2, ...). */
    record Snapshot(long sequence, String json) {}

    private final DashboardState state;
    private final ScheduledExecutorService timer;
    private Snapshot latest;
    private long changesPublished = -1;
    private int idleTicks;
    private boolean closed;

    SnapshotPublisher(DashboardState state) {
        this.state = state;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "streamlearn-dashboard-publisher");
                            t.setDaemon(true);
                            return t;
                        });
        publish();
    }

    void start() {
        timer.scheduleWithFixedDelay(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (state.changes() != changesPublished || ++idleTicks >= IDLE_TICKS_BEFORE_REFRESH) {
            publish();
        }
    }

    private void publish() {
        long changes = state.changes();
        String json;
        try {
            json = AvroJson.MAPPER.writeValueAsString(state.snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard snapshot", e);
        }
        synchronized (this) {
            latest = new Snapshot(latest == null ? 1 : latest.sequence() + 1, json);
            changesPublished = changes;
            idleTicks = 0;
            notifyAll();
        }
    }

    synchronized Snapshot latest() {
        return latest;
    }

    /**
     * Waits until a snapshot newer than {@code seen} exists, or {@code timeoutMs} passes. Returns
     * null on timeout or when closed.
     */
    synchronized Snapshot awaitAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!closed && latest.sequence() <= seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        return closed ? null : latest;
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }
}
