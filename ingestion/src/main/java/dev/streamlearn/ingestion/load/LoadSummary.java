package dev.streamlearn.ingestion.load;

import java.time.Duration;

/** What a load did: records sent to their topic, rows dead-lettered, and how long it took. */
public record LoadSummary(long sent, long rejected, Duration elapsed) {
    public double perSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? (sent + rejected) / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format(
                "sent %d, rejected %d (to dead-letters), in %.1f s (%.0f records/s)",
                sent, rejected, elapsed.toNanos() / 1e9, perSecond());
    }
}
