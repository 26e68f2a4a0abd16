package dev.streamlearn.ingestion.normalize;

import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.StaticMembership;
import dev.streamlearn.schemas.kafka.TransientKafkaErrors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running normalizer ({@code streamlearn normalize}, and part of {@code streamlearn local}).
 */
public final class NormalizerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NormalizerApp.class);
    public static final String DEFAULT_APPLICATION_ID = "streamlearn-normalizer";

    private final KafkaStreams streams;
    private final TransientKafkaErrors.ReplacementBudget replacements =
            new TransientKafkaErrors.ReplacementBudget(10, Duration.ofMinutes(10));
    private final NormalizerTopology.Counts counts = new NormalizerTopology.Counts();

    private NormalizerApp(Properties config) {
        this.streams = new KafkaStreams(NormalizerTopology.build(counts), config);
        streams.setUncaughtExceptionHandler(
                e -> {
                    // What a broker restart leaves behind, a new thread gets past from the last
                    // commit (TransientKafkaErrors); anything else stops the normalizer.
                    if (TransientKafkaErrors.isTransient(e) && replacements.take()) {
                        LOG.warn(
                                "normalizer thread replaced after a broker error: {}",
                                e.toString());
                        return StreamThreadExceptionResponse.REPLACE_THREAD;
                    }
                    LOG.error("normalizer stopped by an unexpected error", e);
                    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
    }

    /** A normalizer on a PLAINTEXT cluster. */
    public static NormalizerApp start(String bootstrap, Path stateDir) {
        return start(KafkaConnection.plaintext(bootstrap), stateDir);
    }

    public static NormalizerApp start(KafkaConnection kafka, Path stateDir) {
        return start(kafka, stateDir, Optional.empty());
    }

    /**
     * As {@link #start(KafkaConnection, Path)}, as the static group member {@code instanceId} when
     * given ({@link StaticMembership}).
     */
    public static NormalizerApp start(
            KafkaConnection kafka, Path stateDir, Optional<String> instanceId) {
        Properties config = config(kafka, stateDir);
        StaticMembership.apply(config, instanceId);
        NormalizerApp app = new NormalizerApp(config);
        app.streams.start();
        return app;
    }

    /** As {@link #config(KafkaConnection, Path)} on a PLAINTEXT cluster. */
    public static Properties config(String bootstrap, Path stateDir) {
        return config(KafkaConnection.plaintext(bootstrap), stateDir);
    }

    /**
     * The Streams config: exactly once, so each JSON record becomes one Avro record or one dead
     * letter. Its transactional ids and consumer group are named after {@link
     * #DEFAULT_APPLICATION_ID}, which is what ACLs grant.
     */
    public static Properties config(KafkaConnection kafka, Path stateDir) {
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return props;
    }

    public NormalizerTopology.Counts counts() {
        return counts;
    }

    /** The Kafka Streams client, for metrics binders only: this class drives its life cycle. */
    public KafkaStreams client() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // Leave the group now, so that a restart does not wait out the old member's session.
        streams.close(
                CloseOptions.timeout(Duration.ofSeconds(30))
                        .withGroupMembershipOperation(
                                CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
