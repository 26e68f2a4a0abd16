package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.InvalidVersionException;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain {@link KafkaConsumer} on {@code model-versions}, on a thread of its own: every partition
 * assigned (no group), starting at the end when opened, keeping the newest version of one model,
 * decoded and verified off the task thread, light versions rebuilt on the full weights of the one
 * before.
 *
 * <p>It reads {@code read_uncommitted}, so a learner sees a version as soon as the combiner's sink
 * has written it, not a checkpoint later; this stays exactly-once because, with aligned
 * checkpoints, a learner subtask takes its snapshot for checkpoint n before the combiner does (the
 * combiner waits for barrier n from every learner), so every version a learner has rebased onto at
 * its snapshot n was emitted before the combiner's barrier n: it belongs to a transaction that
 * commits with checkpoint n or earlier, and its weights are part of the combiner's state n. If
 * checkpoint n never completes, the job restores both from an earlier checkpoint whose learner
 * state, by the same argument, saw only versions of that one. A version of an aborted attempt
 * cannot be read after the restore either: the feed opens at the end of the topic, after the failed
 * tasks (and their producers) are gone. Unaligned checkpoints would break this argument; the job
 * does not enable them.
 */
final class KafkaVersionFeed implements VersionFeed {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaVersionFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] key;
    private final String topic;
    private final VersionTrust trust;
    private final AtomicReference<FeedVersion> newest = new AtomicReference<>();
    private final Thread thread;

    /** The full weights of the last version read, which the next light one applies to. */
    private volatile HeldWeights held;

    private volatile boolean running = true;

    KafkaVersionFeed(
            KafkaConnection kafka, String topic, String model, String client, VersionTrust trust) {
        this.topic = topic;
        this.key = model.getBytes(StandardCharsets.UTF_8);
        this.trust = trust;
        int maxBytes = Topics.MODEL_VERSION_MAX_BYTES + 64 * 1024;
        this.consumer =
                new KafkaConsumer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                        "read_uncommitted",
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                        "false",
                                        ConsumerConfig.CLIENT_ID_CONFIG,
                                        client,
                                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                        Integer.toString(maxBytes),
                                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                        Integer.toString(maxBytes))),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        this.thread = new Thread(this::run, "version-feed " + client);
        thread.setDaemon(true);
        thread.start();
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
            LOG.error("version feed of {} stopped: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void read(byte[] value) {
        ModelVersion record;
        VerifiedVersion verified;
        try {
            record = Topics.MODEL_VERSIONS.valueSerde().deserializer().deserialize(topic, value);
            // A light version is rebuilt on the full weights of the one before it; until a full
            // version has been read, light ones are skipped.
            verified = VersionContract.verify(record, trust, Optional.ofNullable(held));
        } catch (InvalidVersionException | RuntimeException e) {
            LOG.debug("version feed of {}: skipped a version: {}", topic, e.toString());
            return;
        }
        held = HeldWeights.of(verified);
        FeedVersion current = newest.get();
        if (current != null && current.version() >= record.getVersion()) {
            return;
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (SourceOffset o : record.getSourceOffsets()) {
            offsets.put(new TopicPartition(o.getTopic(), o.getPartition()), o.getOffset());
        }
        synchronized (newest) {
            newest.set(new FeedVersion(record.getVersion(), verified.weights(), offsets));
            newest.notifyAll();
        }
    }

    @Override
    public FeedVersion awaitNewer(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (newest) {
            while (true) {
                FeedVersion v = newest.get();
                if (v != null && v.version() > version) {
                    return v;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return v;
                }
                newest.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public boolean hasFullWeights() {
        return held != null;
    }

    @Override
    public FeedVersion newest() {
        return newest.get();
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

    /** Feeds of {@code topic} on {@code kafka}, trusting the versions {@code options} signs. */
    record Factory(KafkaConnection kafka, String topic, TrainingOptions options)
            implements VersionFeed.Factory {
        @Override
        public VersionFeed open(String model, String client) {
            return new KafkaVersionFeed(kafka, topic, model, client, options.ownVersions());
        }
    }
}
