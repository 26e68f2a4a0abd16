package dev.streamlearn.schemas.record;

import dev.streamlearn.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the {@code dead-letters} record for an input some stage cannot use: the one way to. */
public final class DeadLetters {
    private DeadLetters() {}

    /**
     * @param origin the refused record as it arrived
     * @param stage which part refused it, e.g. {@code scorer}, {@code trainer}, {@code normalize}
     * @param reason why, naming the input and what was expected
     * @param at when it was refused
     */
    public static DeadLetter of(RecordOrigin origin, String stage, String reason, Instant at) {
        return DeadLetter.newBuilder()
                .setSourceTopic(origin.topic())
                .setPartition(origin.partition())
                .setOffset(origin.offset())
                .setOriginalKey(origin.key() == null ? null : ByteBuffer.wrap(origin.key()))
                .setOriginalValue(origin.value() == null ? null : ByteBuffer.wrap(origin.value()))
                .setStage(stage)
                .setError(reason == null ? "unknown error" : reason)
                .setAt(at)
                .build();
    }
}
