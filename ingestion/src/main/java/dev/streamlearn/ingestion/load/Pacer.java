package dev.streamlearn.ingestion.load;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast events are sent: as fast as possible, at a fixed rate, or replaying the gaps between
 * their event times sped up by a factor. Each {@link #awaitTurn} blocks until the next event may
 * go.
 */
public interface Pacer {
    void awaitTurn(Instant eventTime);

    static Pacer asFastAsPossible() {
        return eventTime -> {};
    }

    /** {@code perSecond} events per second, evenly spaced. */
    static Pacer fixedRate(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException(
                    "--rate must be a positive number of events per second, was " + perSecond);
        }
        long intervalNanos = (long) (1e9 / perSecond);
        return new Pacer() {
            private long next = System.nanoTime();

            @Override
            public void awaitTurn(Instant eventTime) {
                parkUntil(next);
                next += intervalNanos;
            }
        };
    }

    /** The event-time gaps divided by {@code speed}: 1 is real time, 60 is a minute per second. */
    static Pacer replay(double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException(
                    "--replay-speed must be a positive factor, was " + speed);
        }
        return new Pacer() {
            private long firstEventMillis = Long.MIN_VALUE;
            private long startNanos;

            @Override
            public void awaitTurn(Instant eventTime) {
                long millis = eventTime.toEpochMilli();
                if (firstEventMillis == Long.MIN_VALUE) {
                    firstEventMillis = millis;
                    startNanos = System.nanoTime();
                    return;
                }
                // Events out of time order go at once rather than wait backwards.
                long dueNanos =
                        startNanos + (long) (Math.max(0, millis - firstEventMillis) * 1e6 / speed);
                parkUntil(dueNanos);
            }
        };
    }

    private static void parkUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime();
                wait > 0;
                wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
