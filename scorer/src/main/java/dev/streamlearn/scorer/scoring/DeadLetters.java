package dev.streamlearn.scorer.scoring;

import dev.streamlearn.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the {@code dead-letters} record for an input the scorer cannot use. */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(Origin origin, String stage, String reason) {
        return new DeadLetter(
                origin.topic(),
                origin.partition(),
                origin.offset(),
                origin.key() == null ? null : ByteBuffer.wrap(origin.key()),
                origin.value() == null ? null : ByteBuffer.wrap(origin.value()),
                stage,
                reason == null ? "unknown error" : reason,
                Instant.now());
    }
}
