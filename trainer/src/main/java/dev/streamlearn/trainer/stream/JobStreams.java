package dev.streamlearn.trainer.job;

import dev.streamlearn.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** Builds the trainer's dead letters: where the record was, its bytes, and why it was refused. */
final class DeadLetters {
    /** The stage name the trainer writes into every dead letter. */
    static final String STAGE = "trainer";

    /** The side output every operator of the job sends refused records to. */
    static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    static DeadLetter of(SourceRecord r, String reason, long at) {
        return of(r.topic(), r.partition(), r.offset(), r.key(), r.value(), reason, at);
    }

    static DeadLetter of(TrainingInput in, String reason, long at) {
        return of(in.topic(), in.partition(), in.offset(), in.key(), in.value(), reason, at);
    }

    private static DeadLetter of(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            String reason,
            long at) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(STAGE)
                .setError(reason)
                .setAt(java.time.Instant.ofEpochMilli(at))
                .build();
    }
}
