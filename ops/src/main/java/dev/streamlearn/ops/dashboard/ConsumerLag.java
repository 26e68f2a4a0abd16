package dev.streamlearn.ops.dashboard;

import dev.streamlearn.ingestion.load.ResumableSender;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind each consumer group is (the scorer's, the normalizer's, ...): per group, the sum
 * over its partitions of the last stable offset minus its committed offset. The last stable offset,
 * not the high watermark, because every reader here is {@code read_committed} and cannot be asked
 * to pass an open transaction.
 */
final class ConsumerLag implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    ConsumerLag(KafkaConnection kafka) {
        this.admin =
                Admin.create(
                        kafka.clientConfig(
                                Map.of(
                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                        (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                                        AdminClientConfig.CLIENT_ID_CONFIG,
                                        "streamlearn-dashboard-lag")));
    }

    /** Lag per group id, for the groups that have committed offsets. */
    Map<String, Long> read() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Long> lag = new TreeMap<>();
        for (GroupListing group : admin.listGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            if (group.groupId().startsWith(ResumableSender.ID_PREFIX)) {
                continue; // an ingest's file position (rows done), not a reader of the topic
            }
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.forEach(
                    (tp, offset) -> {
                        if (offset != null) {
                            latest.put(tp, OffsetSpec.latest());
                        }
                    });
            if (latest.isEmpty()) {
                continue;
            }
            var ends =
                    admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long behind = 0;
            for (TopicPartition tp : latest.keySet()) {
                behind += Math.max(0, ends.get(tp).offset() - committed.get(tp).offset());
            }
            lag.put(group.groupId(), behind);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
