package dev.streamlearn.ops.crash;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A client outside the pipeline writing series points as JSON to {@code series-points-json} at a
 * fixed rate, every {@code badEvery}-th record not JSON: the normalizer's input during the crash
 * suite. Idempotent, acks=all, and patient enough to wait out a broker restart, so each record is
 * appended once. Test fixture of {@link CrashSuiteIT}.
 */
final class SeriesFeed implements AutoCloseable {
    static final String TOPIC = "series-points-json";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final KafkaProducer<String, String> producer;
    private final int series;
    private final double perSecond;
    private final int badEvery;
    private final Set<String> points = new HashSet<>();
    private final AtomicLong bad = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    SeriesFeed(String bootstrap, int series, double perSecond, int badEvery) {
        this.series = series;
        this.perSecond = perSecond;
        this.badEvery = badEvery;
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                300_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                300_000,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "crash-suite-series-feed"),
                        new StringSerializer(),
                        new StringSerializer());
        this.thread = new Thread(this::run, "crash-suite-series-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Keys {@code seriesId@eventTimeMillis} of the good points sent. */
    Set<String> points() {
        synchronized (points) {
            return Set.copyOf(points);
        }
    }

    long bad() {
        return bad.get();
    }

    static String key(String seriesId, Instant eventTime) {
        return seriesId + "@" + eventTime.toEpochMilli();
    }

    private void run() {
        long interval = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        for (long i = 1; running; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            if (i % badEvery == 0) {
                producer.send(
                        new ProducerRecord<>(TOPIC, "bad-" + i, "not json " + i),
                        (m, e) -> {
                            if (e == null) {
                                bad.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, e);
                            }
                        });
                continue;
            }
            String id = "mote-" + (i % series);
            Instant time = START.plusSeconds(i);
            double value = 20 + 5 * Math.sin(i / 50.0) + (i % 7) * 0.1;
            String json =
                    "{\"seriesId\":\""
                            + id
                            + "\",\"value\":"
                            + value
                            + ",\"eventTime\":\""
                            + time
                            + "\"}";
            String key = key(id, time);
            producer.send(
                    new ProducerRecord<>(TOPIC, id, json),
                    (m, e) -> {
                        if (e == null) {
                            synchronized (points) {
                                points.add(key);
                            }
                        } else {
                            failure.compareAndSet(null, e);
                        }
                    });
        }
    }

    /** Stops sending and waits until everything sent is acknowledged; fails if a send failed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        if (failure.get() != null) {
            throw new AssertionError("the series feed could not send", failure.get());
        }
    }
}
