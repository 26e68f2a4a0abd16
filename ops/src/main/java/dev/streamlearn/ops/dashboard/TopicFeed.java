package dev.streamlearn.ops.dashboard;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread reading every topic the dashboard shows and handing each decoded value to the
 * {@link DashboardState}. No consumer group: the dashboard only watches, so it assigns the
 * partitions itself and commits nothing. The small topics (versions, control, training figures,
 * dead letters) are read from the beginning, so the timeline and the counts are whole; the busy
 * ones (scores, texts) only from their last records, which is all a page can show anyway. Reads
 * committed records only, as every reader of exactly-once output must.
 */
final class TopicFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final long RECHECK_TOPICS_MS = 2_000;

    /** How far back each topic is read when the dashboard starts. */
    private record Source(Topic<?, ?> topic, long tailRecords) {
        static final long WHOLE = -1;
    }

    private static final List<Source> SOURCES =
            List.of(
                    new Source(Topics.MODEL_VERSIONS, Source.WHOLE),
                    new Source(Topics.MODEL_CONTROL, Source.WHOLE),
                    new Source(Topics.MODEL_EVENTS, Source.WHOLE),
                    new Source(Topics.TRAINING_METRICS, Source.WHOLE),
                    new Source(Topics.DEAD_LETTERS, Source.WHOLE),
                    new Source(Topics.TEXT_EVENTS, 2_000),
                    new Source(Topics.TEXT_SCORES, 500),
                    new Source(Topics.VECTOR_SCORES, 500),
                    new Source(Topics.IMAGE_EVENTS, 500),
                    new Source(Topics.IMAGE_SCORES, 500),
                    new Source(Topics.SERIES_SCORES, 2_000));

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BiConsumer<Object, Long> sink;
    private final Consumer<String> problems;
    private final String bootstrap;
    private final Map<String, Source> waiting = new HashMap<>();
    private final Map<String, Source> byName = new HashMap<>();
    private final Map<String, LongAdder> read = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unreadable = new ConcurrentHashMap<>();
    // Where the history read at start ends, per partition, until the feed has reached it.
    private final Map<TopicPartition, Long> historyEnd = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param sink receives every decoded value with its record's timestamp, on the feed's thread
     * @param problems receives why reading stalls (e.g. Kafka unreachable), and null once it reads
     *     again
     */
    TopicFeed(KafkaConnection kafka, BiConsumer<Object, Long> sink, Consumer<String> problems) {
        this.sink = sink;
        this.problems = problems;
        this.bootstrap = kafka.bootstrap();
        this.consumer =
                CommittedReader.consumer(kafka, "streamlearn-dashboard", Duration.ofMinutes(1));
        for (Source source : SOURCES) {
            waiting.put(source.topic().name(), source);
            byName.put(source.topic().name(), source);
            read.put(source.topic().name(), new LongAdder());
            unreadable.put(source.topic().name(), new LongAdder());
        }
        this.thread = new Thread(this::run, "streamlearn-dashboard-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Records read per topic, decoded or not. */
    Map<String, LongAdder> read() {
        return read;
    }

    /** Records per topic that could not be decoded (skipped; the scorer dead-letters those). */
    Map<String, LongAdder> unreadable() {
        return unreadable;
    }

    private void run() {
        long nextTopicCheck = 0;
        try {
            while (running) {
                try {
                    if (!waiting.isEmpty() && System.currentTimeMillis() >= nextTopicCheck) {
                        nextTopicCheck = System.currentTimeMillis() + RECHECK_TOPICS_MS;
                        assignTopicsThatExist();
                        reportCatchingUp();
                    }
                    if (consumer.assignment().isEmpty()) {
                        Thread.sleep(POLL.toMillis()); // nothing to poll until a topic exists
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        handle(record);
                    }
                    if (!historyEnd.isEmpty()) {
                        reportCatchingUp();
                    }
                } catch (RetriableException e) {
                    // Kafka not up yet or gone for a while: the page says so, and we keep trying.
                    problems.accept(
                            "cannot reach Kafka at " + bootstrap + " (" + e.getMessage() + ")");
                    LOG.warn("dashboard cannot read from {}: {}", bootstrap, e.toString());
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close()
        } catch (RuntimeException e) {
            LOG.error("dashboard stopped reading topics", e);
        } finally {
            consumer.close();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        read.get(record.topic()).increment();
        Object value;
        try {
            value =
                    byName.get(record.topic())
                            .topic()
                            .valueSerde()
                            .deserializer()
                            .deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            unreadable.get(record.topic()).increment();
            return;
        }
        if (value != null) {
            sink.accept(value, record.timestamp());
        }
    }

    private void assignTopicsThatExist() {
        List<TopicPartition> added = new ArrayList<>();
        Map<TopicPartition, Long> tails = new HashMap<>();
        for (var it = waiting.values().iterator(); it.hasNext(); ) {
            Source source = it.next();
            List<PartitionInfo> partitions =
                    consumer.partitionsFor(source.topic().name(), Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                continue;
            }
            it.remove();
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                added.add(tp);
                tails.put(tp, source.tailRecords());
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        all.addAll(added);
        consumer.assign(all);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(added);
        Map<TopicPartition, Long> end = consumer.endOffsets(added);
        for (TopicPartition tp : added) {
            long tail = tails.get(tp);
            long from =
                    tail == Source.WHOLE
                            ? begin.get(tp)
                            : Math.max(begin.get(tp), end.get(tp) - tail);
            consumer.seek(tp, from);
            if (end.get(tp) > from) {
                historyEnd.put(tp, end.get(tp));
            }
        }
        LOG.info("dashboard reads {}", added);
    }

    /**
     * Says which topics' history is still being read (versions are checked as the scorer checks
     * them, which takes a while for many large ones), so the page does not pass old figures off as
     * current; says nothing once all is read.
     */
    private void reportCatchingUp() {
        historyEnd.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        if (historyEnd.isEmpty()) {
            problems.accept(
                    waiting.isEmpty()
                            ? null
                            : "waiting for topics " + String.join(", ", waiting.keySet()));
        } else {
            problems.accept(
                    "catching up on "
                            + String.join(
                                    ", ",
                                    historyEnd.keySet().stream()
                                            .map(TopicPartition::topic)
                                            .distinct()
                                            .sorted()
                                            .toList()));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
