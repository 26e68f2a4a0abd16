package dev.streamlearn.schemas.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

/**
 * Which errors reaching a Kafka Streams part's uncaught-exception handler a new stream thread gets
 * past: those a broker restart leaves behind. A broker killed while a transaction is open may, once
 * back, have aborted it or lost its producer's state, and the thread's commit then fails with one
 * of these instead of being retried; under exactly-once a new thread, with a new producer, resumes
 * from the last committed offsets, so nothing is lost or written twice. Anything else (a bug, a
 * missing permission) stops the part, as before.
 */
public final class TransientKafkaErrors {
    private TransientKafkaErrors() {}

    /** Whether {@code error} or one of its causes is an error a broker restart leaves behind. */
    public static boolean isTransient(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof RetriableException
                    || e instanceof InvalidTxnStateException
                    || e instanceof InvalidProducerEpochException
                    || e instanceof ProducerFencedException
                    || e instanceof TransactionAbortableException
                    || e instanceof UnknownProducerIdException
                    || e instanceof InvalidPidMappingException
                    || e instanceof OutOfOrderSequenceException) {
                return true;
            }
        }
        return false;
    }

    /**
     * At most {@code limit} thread replacements within {@code window}: a broker that keeps failing
     * stops the part instead of having it replace threads forever.
     */
    public static final class ReplacementBudget {
        private final int limit;
        private final Duration window;
        private final Clock clock;
        private final Deque<Instant> spent = new ArrayDeque<>();

        public ReplacementBudget(int limit, Duration window) {
            this(limit, window, Clock.systemUTC());
        }

        ReplacementBudget(int limit, Duration window, Clock clock) {
            this.limit = limit;
            this.window = window;
            this.clock = clock;
        }

        /** Takes one replacement if the window has one left. */
        public synchronized boolean take() {
            Instant now = clock.instant();
            while (!spent.isEmpty() && spent.peekFirst().isBefore(now.minus(window))) {
                spent.removeFirst();
            }
            if (spent.size() >= limit) {
                return false;
            }
            spent.addLast(now);
            return true;
        }
    }
}
