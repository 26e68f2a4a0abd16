package dev.streamlearn.ingestion.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sends a file's rows in Kafka transactions, each of which also commits how many rows of the file
 * are done, so that a load killed at any moment and started again continues exactly after the rows
 * whose sends were committed: nothing sent twice, nothing skipped (for {@code read_committed}
 * readers, which every part of the pipeline is).
 *
 * <p>The position is stored the way a consuming application's would be: as the offset of the
 * consumer group {@code streamlearn-ingest:ID} on partition 0 of the destination topic, committed
 * inside the same transaction as the rows ({@code sendOffsetsToTransaction}), with the file's name
 * as its metadata; the group has no members and reads nothing. This is Kafka's own exactly-once
 * pattern for a source whose position is not a Kafka offset (as Kafka Connect's exactly-once
 * sources commit theirs to an offsets topic, KIP-618). A new sender with the same id fences the
 * previous one and aborts its open transaction before it reads the position ({@link #open}).
 *
 * <p>A transaction commits every {@link #COMMIT_INTERVAL} while rows come, and while the load waits
 * for its pacer, so that a slow replay's rows do not wait unseen. A broker that is restarted is
 * waited for (up to {@link #MAX_BLOCK}); the open transaction survives it if the broker is back
 * within {@link #TRANSACTION_TIMEOUT}.
 *
 * @param <V> the event type
 */
public final class ResumableSender<V> implements RowSink<V>, AutoCloseable {
    /** How long rows may wait, sent but not committed, before their transaction commits. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /**
     * How long the broker lets a transaction stay open: readers of the topic wait for a transaction
     * of a load killed and not started again at most this long; a broker restart must take less.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    /** How long a send or commit waits for an unreachable broker before the load fails. */
    static final Duration MAX_BLOCK = Duration.ofMinutes(2);

    /** Prefix of the transactional id and the consumer group that hold a load's position. */
    public static final String ID_PREFIX = "streamlearn-ingest:";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topic<String, V> topic;
    private final String id;
    private final String fileName;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<V> values;
    private final Serializer<DeadLetter> deadLetters;
    private final LongAdder sent = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService idleCommits;
    private final long committedAtStart;

    // Guarded by lock.
    private boolean inTransaction;
    private long transactionStartNanos;
    private long rowsDone;
    private long rowsCommitted;
    private boolean unmarkedSends;

    private ResumableSender(
            KafkaConnection kafka, Topic<String, V> topic, String id, String fileName) {
        this.topic = topic;
        this.id = id;
        this.fileName = fileName;
        this.keys = topic.keySerde().serializer();
        this.values = topic.valueSerde().serializer();
        this.deadLetters = Topics.DEAD_LETTERS.valueSerde().serializer();
        this.producer =
                new KafkaProducer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                        ID_PREFIX + id,
                                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                        (int) TRANSACTION_TIMEOUT.toMillis(),
                                        ProducerConfig.LINGER_MS_CONFIG,
                                        5,
                                        ProducerConfig.BATCH_SIZE_CONFIG,
                                        128 * 1024,
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        (int) MAX_BLOCK.toMillis(),
                                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                        (int) MAX_BLOCK.toMillis(),
                                        ProducerConfig.CLIENT_ID_CONFIG,
                                        "streamlearn-ingest-" + topic.name())),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        try {
            // Fences a predecessor with the same id and aborts its open transaction, so the
            // position read next is final.
            producer.initTransactions();
            this.committedAtStart = readPosition(kafka);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        this.rowsDone = committedAtStart;
        this.rowsCommitted = committedAtStart;
        this.idleCommits =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ingest-commits");
                            t.setDaemon(true);
                            return t;
                        });
        long every = COMMIT_INTERVAL.toMillis() / 2;
        idleCommits.scheduleWithFixedDelay(this::commitIfIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A sender for the load {@code id} (the same for every run of one load: e.g. the topic and the
     * file's absolute path) into {@code topic}; {@link #committedRows()} says where the last run's
     * committed sends end.
     */
    public static <V> ResumableSender<V> open(
            String bootstrap, Topic<String, V> topic, String id, String fileName) {
        return open(KafkaConnection.plaintext(bootstrap), topic, id, fileName);
    }

    /** As {@link #open(String, Topic, String, String)} through {@code kafka}. */
    public static <V> ResumableSender<V> open(
            KafkaConnection kafka, Topic<String, V> topic, String id, String fileName) {
        return new ResumableSender<>(kafka, topic, id, fileName);
    }

    /** Rows of the file whose sends earlier runs committed: the first row to send is the next. */
    public long committedRows() {
        return committedAtStart;
    }

    /** The consumer group that holds this load's position. */
    public String positionGroup() {
        return ID_PREFIX + id;
    }

    @Override
    public void send(String key, V event) {
        byte[] value = values.serialize(topic.name(), event);
        inTransaction(
                new ProducerRecord<>(topic.name(), keys.serialize(topic.name(), key), value),
                counting(sent));
    }

    @Override
    public void reject(FileRow row, String reason) {
        RecordOrigin origin =
                new RecordOrigin(
                        row.file(),
                        -1,
                        row.line(),
                        0,
                        null,
                        row.isError() ? null : json(row.fields()));
        DeadLetter letter = DeadLetters.of(origin, "ingest", reason, Instant.now());
        inTransaction(
                new ProducerRecord<>(
                        Topics.DEAD_LETTERS.name(),
                        (row.file() + ":" + row.line()).getBytes(StandardCharsets.UTF_8),
                        deadLetters.serialize(Topics.DEAD_LETTERS.name(), letter)),
                counting(rejected));
    }

    @Override
    public void rowsDone(long rows) {
        lock.lock();
        try {
            throwIfFailed();
            rowsDone = rows;
            unmarkedSends = false;
            if (inTransaction && System.nanoTime() - transactionStartNanos >= intervalNanos()) {
                commit();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public LoadSummary finish() {
        lock.lock();
        try {
            throwIfFailed();
            if (inTransaction && !unmarkedSends) {
                commit();
            }
        } finally {
            lock.unlock();
        }
        return new LoadSummary(
                sent.sum(), rejected.sum(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    @Override
    public long sent() {
        return sent.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    /**
     * Commits the rows done, if every send since the last mark belongs to them, and aborts the
     * rest; then closes the producer. A load interrupted between a row's send and its mark leaves
     * that row to the next run.
     */
    @Override
    public void close() {
        idleCommits.shutdownNow();
        boolean interrupted = Thread.interrupted(); // the producer refuses to work interrupted
        lock.lock();
        try {
            if (inTransaction) {
                try {
                    if (unmarkedSends || failure.get() != null) {
                        producer.abortTransaction();
                    } else {
                        commit();
                    }
                } catch (RuntimeException e) {
                    // Closing anyway: the broker aborts what stays open after its timeout, and
                    // the next run with this id aborts it at once.
                }
                inTransaction = false;
            }
        } finally {
            lock.unlock();
            producer.close(Duration.ofSeconds(10));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void inTransaction(ProducerRecord<byte[], byte[]> record, Callback callback) {
        lock.lock();
        try {
            throwIfFailed();
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
                transactionStartNanos = System.nanoTime();
            }
            unmarkedSends = true;
            producer.send(record, callback);
        } catch (KafkaException e) {
            throw failed(e);
        } finally {
            lock.unlock();
        }
    }

    private void commitIfIdle() {
        if (!lock.tryLock()) {
            return; // the load is sending or committing: it commits when due
        }
        try {
            if (inTransaction
                    && !unmarkedSends
                    && failure.get() == null
                    && System.nanoTime() - transactionStartNanos >= intervalNanos()) {
                commit();
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            lock.unlock();
        }
    }

    /** Commits the open transaction with the position {@link #rowsDone}; holds the lock. */
    private void commit() {
        try {
            producer.sendOffsetsToTransaction(
                    Map.of(
                            new TopicPartition(topic.name(), 0),
                            new OffsetAndMetadata(rowsDone, fileName)),
                    new ConsumerGroupMetadata(positionGroup()));
            producer.commitTransaction();
            inTransaction = false;
            rowsCommitted = rowsDone;
        } catch (KafkaException e) {
            throw failed(e);
        }
    }

    private IllegalStateException failed(KafkaException e) {
        String why =
                e instanceof ProducerFencedException
                        ? "another ingest of the same load (" + positionGroup() + ") took over"
                        : "sending to Kafka failed: " + e.getMessage();
        IllegalStateException failed =
                new IllegalStateException(
                        why
                                + "; rows 1-"
                                + rowsCommitted
                                + " are committed: run the same command again to continue"
                                + " after row "
                                + rowsCommitted,
                        e);
        failure.compareAndSet(null, failed);
        return failed;
    }

    private Callback counting(LongAdder counter) {
        return (metadata, error) -> {
            if (error == null) {
                counter.increment();
            } else {
                failure.compareAndSet(null, error);
            }
        };
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error instanceof IllegalStateException failed) {
            throw failed;
        }
        if (error != null) {
            throw new IllegalStateException(
                    "sending to Kafka failed: "
                            + error.getMessage()
                            + "; rows 1-"
                            + rowsCommitted
                            + " are committed: run the same command again to continue after row "
                            + rowsCommitted,
                    error);
        }
    }

    /** The committed position of this load's group: 0 when none was committed yet. */
    private long readPosition(KafkaConnection kafka) {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        try (Admin admin =
                Admin.create(
                        kafka.clientConfig(
                                Map.of(
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        (int) MAX_BLOCK.toMillis())))) {
            // requireStable: a position still inside a transaction being completed is waited for
            // rather than read as it was before.
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(
                                    Map.of(
                                            positionGroup(),
                                            new ListConsumerGroupOffsetsSpec()
                                                    .topicPartitions(List.of(partition))),
                                    new ListConsumerGroupOffsetsOptions().requireStable(true))
                            .partitionsToOffsetAndMetadata(positionGroup())
                            .get(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata position = offsets.get(partition);
            return position == null ? 0 : position.offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read where the last run of "
                            + positionGroup()
                            + " stopped: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read where the last run of "
                            + positionGroup()
                            + " stopped within "
                            + MAX_BLOCK,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the load's position", e);
        }
    }

    private static long intervalNanos() {
        return COMMIT_INTERVAL.toNanos();
    }

    private static byte[] json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
