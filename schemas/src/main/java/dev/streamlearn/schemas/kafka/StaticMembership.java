package dev.streamlearn.schemas.kafka;

import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Kafka's static group membership (KIP-345) for a Kafka Streams part started with an instance id:
 * killed and started again under the same id (and state directory), it takes its partitions back at
 * once instead of waiting for its dead predecessor's session to expire and a rebalance; its
 * exactly-once producer, named after the process id kept in the state directory, fences the
 * predecessor's open transaction at once.
 */
public final class StaticMembership {
    /**
     * How long the broker keeps a static member's partitions for it after its last heartbeat. A
     * part restarted within this time rejoins without a rebalance; one that does not come back has
     * its partitions handed to the others after it, instead of after the consumer's default 45 s.
     */
    public static final int SESSION_TIMEOUT_MS = 15_000;

    /** Kafka Streams' prefix for its main consumer's settings ({@code StreamsConfig}). */
    private static final String MAIN_CONSUMER = "main.consumer.";

    private StaticMembership() {}

    /** Adds the instance id and the session timeout to {@code props} unless they set them. */
    public static void apply(Properties props, Optional<String> instanceId) {
        instanceId.ifPresent(
                id -> {
                    // Kafka Streams appends each stream thread's index to it.
                    props.putIfAbsent(MAIN_CONSUMER + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
                    props.putIfAbsent(
                            MAIN_CONSUMER + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                            Integer.toString(SESSION_TIMEOUT_MS));
                });
    }
}
