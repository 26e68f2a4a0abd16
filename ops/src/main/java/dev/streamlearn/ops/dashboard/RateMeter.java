package dev.streamlearn.ops.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events per second, counted by the time each event carries (e.g. {@code scoredAt}) rather than by
 * when the dashboard read it: a dashboard that starts late and catches up on a backlog then shows
 * the rate the scorer really had, not a spike of its own reading.
 */
final class RateMeter {
    private final int keepSeconds;
    private final TreeMap<Long, Long> perSecond = new TreeMap<>();

    RateMeter(int keepSeconds) {
        this.keepSeconds = keepSeconds;
    }

    void add(Instant at) {
        long second = at.getEpochSecond();
        perSecond.merge(second, 1L, Long::sum);
        while (perSecond.size() > keepSeconds) {
            perSecond.pollFirstEntry();
        }
    }

    /**
     * The mean rate over the {@code window} whole seconds before {@code now}; the current second is
     * left out because it is still filling.
     */
    double perSecond(Instant now, int window) {
        long end = now.getEpochSecond();
        long sum = 0;
        for (long count : perSecond.subMap(end - window, end).values()) {
            sum += count;
        }
        return sum / (double) window;
    }

    /** The last {@code seconds} seconds before {@code now} as [epoch millis, count] pairs. */
    ArrayNode series(Instant now, int seconds) {
        ArrayNode points = JsonNodeFactory.instance.arrayNode();
        long end = now.getEpochSecond();
        Map<Long, Long> recent = perSecond.subMap(end - seconds, end);
        for (long s = end - seconds; s < end; s++) {
            points.addArray().add(s * 1000).add(recent.getOrDefault(s, 0L));
        }
        return points;
    }
}
