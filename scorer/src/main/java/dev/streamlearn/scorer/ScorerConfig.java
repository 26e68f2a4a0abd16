package dev.streamlearn.scorer;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.StaticMembership;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The scorer's Kafka Streams configuration: a properties file first (any Streams, consumer or
 * producer setting), then these defaults for whatever it leaves out.
 *
 * <p>Latency against throughput: under exactly-once a score becomes visible to read_committed
 * readers only when the scorer commits its transaction, every {@code commit.interval.ms} (Streams'
 * own default under exactly-once is 100 ms, which alone put the p50 / p99 from event to readable
 * score at about 75 / 130 ms); a score is appended to the log as soon as the producer sends its
 * batch, after at most {@code producer.linger.ms}. Shorter intervals commit more transactions per
 * second, which costs throughput; BENCHMARKS.md (Scorer) measures both side by side. Set either in
 * the properties file to trade the other way.
 */
public final class ScorerConfig {
    public static final String DEFAULT_APPLICATION_ID = "streamlearn-scorer";

    /** How often the exactly-once transaction commits, i.e. scores become readable (ms). */
    public static final int DEFAULT_COMMIT_INTERVAL_MS = 20;

    /** How long the producer waits to fill a batch before appending scores (ms). */
    public static final int DEFAULT_LINGER_MS = 1;

    /**
     * How long the producer waits before retrying a request the broker refused for the moment (ms).
     * Under transactions v2 the broker answers CONCURRENT_TRANSACTIONS while the markers of the
     * transaction just committed are still being written, a few ms; the client's default back-off
     * of 100 ms then held the stream thread's next commit for 100 ms (KAFKA-20000, open in Kafka
     * 4.2). The back-off still grows exponentially up to {@code retry.backoff.max.ms} (1 s) while a
     * broker stays unreachable.
     */
    public static final int DEFAULT_RETRY_BACKOFF_MS = 5;

    /** The session of a scorer started with an instance id (see {@link StaticMembership}). */
    public static final int STATIC_SESSION_TIMEOUT_MS = StaticMembership.SESSION_TIMEOUT_MS;

    private ScorerConfig() {}

    /**
     * @param file optional properties file; its settings win over the defaults
     * @param bootstrap Kafka bootstrap servers, used unless the file sets them
     * @param stateDir where the local state stores live
     */
    public static Properties load(Path file, String bootstrap, Path stateDir) {
        return load(file, bootstrap, stateDir, Optional.empty());
    }

    /**
     * As {@link #load(Path, String, Path)}, as the static group member {@code instanceId} when
     * given: a scorer killed and started again under the same id and state directory rejoins
     * without waiting for its dead predecessor's session to expire (Kafka's static membership,
     * KIP-345), and its exactly-once producer, named after the state directory's process id, fences
     * the predecessor's open transaction at once.
     */
    public static Properties load(
            Path file, String bootstrap, Path stateDir, Optional<String> instanceId) {
        Properties props = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read scorer config " + file, e);
            }
        }
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Each score and dead letter is written once, together with the input offsets it consumed.
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Model versions carry their weights: let the global consumer fetch them whole.
        props.putIfAbsent(
                StreamsConfig.globalConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Integer.toString(Topics.MODEL_VERSION_MAX_BYTES));
        props.putIfAbsent(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                Integer.toString(DEFAULT_COMMIT_INTERVAL_MS));
        props.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                Integer.toString(DEFAULT_LINGER_MS));
        props.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                Integer.toString(DEFAULT_RETRY_BACKOFF_MS));
        // Measured here: larger producer batches gave Streams 1.2-1.5x throughput (BENCHMARKS.md,
        // "Scorer").
        props.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
                Integer.toString(256 * 1024));
        StaticMembership.apply(props, instanceId);
        return props;
    }
}
