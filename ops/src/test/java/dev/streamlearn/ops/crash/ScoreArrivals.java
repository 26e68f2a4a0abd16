package dev.streamlearn.ops.crash;

import dev.streamlearn.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each committed score became readable, per partition, as a read_committed reader saw it on
 * this machine's clock: what "time without scores" is measured from. Test fixture of {@link
 * CrashSuiteIT}; the consumer reconnects by itself across broker restarts.
 */
final class ScoreArrivals implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, List<Long>> arrivals = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    ScoreArrivals(String bootstrap, List<Topic<?, ?>> topics) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "crash-suite-arrivals"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "crash-suite-arrivals");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                synchronized (arrivals) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        arrivals.computeIfAbsent(
                                        new TopicPartition(r.topic(), r.partition()),
                                        tp -> new ArrayList<>())
                                .add(now);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() ends the loop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Scores seen so far, over every partition. */
    long count() {
        synchronized (arrivals) {
            return arrivals.values().stream().mapToLong(List::size).sum();
        }
    }

    /**
     * The longest time, over every partition, that no score arrived after {@code crashNanos}: from
     * the crash (or the last score after it) to the next score, for gaps that start before {@code
     * untilNanos}. A partition with no score after the crash counts up to {@code untilNanos}.
     */
    Duration longestStall(long crashNanos, long untilNanos) {
        long longest = 0;
        synchronized (arrivals) {
            for (List<Long> times : arrivals.values()) {
                long from = crashNanos;
                boolean closed = false;
                for (long t : times) {
                    if (t <= crashNanos) {
                        continue;
                    }
                    if (from >= untilNanos) {
                        closed = true;
                        break;
                    }
                    longest = Math.max(longest, t - from);
                    from = t;
                }
                if (!closed && from < untilNanos) {
                    longest = Math.max(longest, untilNanos - from);
                }
            }
        }
        return Duration.ofNanos(longest);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
