package dev.streamlearn.schemas.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition from its end back towards its start, a few offsets at a time, so a reader
 * that wants only the newest records of a long topic ({@code model-versions} keeps up to 2 GiB)
 * reads only those. With a {@link CommittedReader} consumer the end is the last stable offset: an
 * open transaction's records lie beyond it, so the steps never wait for them.
 */
public final class BackwardReader {
    private BackwardReader() {}

    /**
     * Hands {@code chunk} the records of each step of each partition of {@code topic}, oldest first
     * within the step, newest step first, until it returns false or every partition's start is
     * reached.
     *
     * @param step offsets per step (transaction markers take offsets too)
     * @throws IllegalStateException if a partition cannot be read within {@code timeout}
     */
    public static void read(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            int step,
            Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> chunk) {
        for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
            if (!read(
                    consumer, new TopicPartition(topic, info.partition()), step, timeout, chunk)) {
                return;
            }
        }
    }

    /** One partition, as {@link #read(KafkaConsumer, String, int, Duration, Predicate)}. */
    private static boolean read(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            int step,
            Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> chunk) {
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.assign(List.of(partition));
        long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
        long to = consumer.endOffsets(List.of(partition), timeout).get(partition);
        while (to > begin) {
            long from = Math.max(begin, to - step);
            if (!chunk.test(range(consumer, partition, from, to, deadline, timeout))) {
                return false;
            }
            to = from;
        }
        return true;
    }

    private static List<ConsumerRecord<byte[], byte[]>> range(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            long from,
            long to,
            long deadline,
            Duration timeout) {
        consumer.seek(partition, from);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (consumer.position(partition) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read "
                                + partition
                                + " back to offset "
                                + from
                                + " within "
                                + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < to) {
                    records.add(r);
                }
            }
        }
        return records;
    }
}
