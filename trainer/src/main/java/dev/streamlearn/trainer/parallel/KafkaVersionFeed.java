package dev.streamlearn.trainer.parallel;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The combined states of one model read back from the job's feedback topic ({@code <model-versions
 * topic>-feedback}, one partition, created by the first that needs it) by a plain {@link
 * KafkaConsumer} on a thread of its own: every partition assigned (no group), starting at the end
 * when opened, decoding off the task thread, handing the states over in order.
 *
 * <p>The combiner writes them with a plain producer, outside Flink's transactions, and the feed
 * reads them at once. This stays exactly-once because, with aligned checkpoints, a learner subtask
 * takes its snapshot for checkpoint n before the combiner does (the combiner waits for barrier n
 * from every learner), so every state a learner has applied at its snapshot n was sent before the
 * combiner's barrier n: its weights are part of the combiner's state n. If checkpoint n never
 * completes, the job restores both from an earlier checkpoint whose learner state, by the same
 * argument, saw only states of that one. A state the failed combiner sent after its snapshot is not
 * applied after the restore: a restored learner refuses the epoch it was saved with, and a
 * restarted combiner draws a new one. Unaligned checkpoints would break this argument; the job does
 * not enable them.
 */
final class KafkaVersionFeed implements VersionFeed {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaVersionFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Whole states are G's full size, as large as a full version. */
    private static final int MAX_BYTES = Topics.MODEL_VERSION_MAX_BYTES + 64 * 1024;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] key;
    private final String topic;
    private final List<FeedVersion> read = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    KafkaVersionFeed(KafkaConnection kafka, String topic, String model, String client) {
        this.topic = topic;
        this.key = model.getBytes(StandardCharsets.UTF_8);
        this.consumer =
                new KafkaConsumer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                        "false",
                                        ConsumerConfig.CLIENT_ID_CONFIG,
                                        client,
                                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                        Integer.toString(MAX_BYTES),
                                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                        Integer.toString(MAX_BYTES))),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        this.thread = new Thread(this::run, "version-feed " + client);
        thread.setDaemon(true);
        thread.start();
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        // A topic just created may take a moment to appear in the metadata.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            if (!partitions.isEmpty() || System.nanoTime() > deadline) {
                if (partitions.isEmpty()) {
                    throw new IllegalStateException(
                            "feedback topic " + topic + " has no partition");
                }
                return partitions;
            }
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.key() != null && Arrays.equals(r.key(), key) && r.value() != null) {
                        read(r.value());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (RuntimeException e) {
            // The learner goes on learning and sending; it only stops rebasing.
            LOG.error("feedback of {} stopped: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void read(byte[] value) {
        FeedVersion state;
        try {
            state = FeedVersion.decode(value);
        } catch (RuntimeException e) {
            // The learner sees a gap in the numbers and asks for G whole.
            LOG.warn("feedback of {}: skipped a state: {}", topic, e.toString());
            return;
        }
        synchronized (read) {
            read.add(state);
            read.notifyAll();
        }
    }

    @Override
    public List<FeedVersion> take() {
        synchronized (read) {
            if (read.isEmpty()) {
                return List.of();
            }
            List<FeedVersion> taken = new ArrayList<>(read);
            read.clear();
            return taken;
        }
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (read) {
            while (read.isEmpty() && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                read.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates {@code topic} unless it exists: one partition, so every state keeps its place. */
    static void ensureTopic(KafkaConnection kafka, String topic) {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            NewTopic t =
                    new NewTopic(topic, Optional.of(1), Optional.empty())
                            .configs(
                                    Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                            TopicConfig.CLEANUP_POLICY_DELETE,
                                            // Read only as it is written: an hour is plenty.
                                            TopicConfig.RETENTION_MS_CONFIG,
                                            Long.toString(Duration.ofHours(1).toMillis()),
                                            TopicConfig.SEGMENT_BYTES_CONFIG,
                                            Integer.toString(64 << 20),
                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                            Integer.toString(MAX_BYTES)));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create the feedback topic " + topic + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the feedback topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + topic, e);
        }
    }

    /** Writes the states of the combiner's models, keyed by model. */
    static final class KafkaSink implements Sink {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;

        KafkaSink(KafkaConnection kafka, String topic, String client) {
            this.topic = topic;
            this.producer =
                    new KafkaProducer<>(
                            kafka.clientConfig(
                                    Map.of(
                                            ProducerConfig.CLIENT_ID_CONFIG,
                                            client,
                                            ProducerConfig.LINGER_MS_CONFIG,
                                            "0",
                                            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                            Integer.toString(MAX_BYTES),
                                            ProducerConfig.BUFFER_MEMORY_CONFIG,
                                            Long.toString(4L * MAX_BYTES))),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
        }

        @Override
        public void send(String model, FeedVersion state) {
            producer.send(
                    new ProducerRecord<>(
                            topic, 0, model.getBytes(StandardCharsets.UTF_8), state.encode()),
                    (meta, e) -> {
                        if (e != null) {
                            // A learner that misses it sees the gap and asks for G whole.
                            LOG.warn("feedback to {} lost a state: {}", topic, e.toString());
                        }
                    });
        }

        @Override
        public void close() {
            // What the combiner had not sent yet is dropped: after a failure the learners are
            // restored and take a whole state of the next combiner.
            producer.close(Duration.ZERO);
        }
    }

    /** Feeds of {@code versionsTopic}'s feedback topic on {@code kafka}. */
    record Factory(KafkaConnection kafka, String versionsTopic) implements VersionFeed.Factory {
        String topic() {
            return DataParallel.feedbackTopic(versionsTopic);
        }

        @Override
        public VersionFeed open(String model, String client) {
            ensureTopic(kafka, topic());
            return new KafkaVersionFeed(kafka, topic(), model, client);
        }

        @Override
        public Sink sink(String client) {
            ensureTopic(kafka, topic());
            return new KafkaSink(kafka, topic(), client);
        }
    }
}
