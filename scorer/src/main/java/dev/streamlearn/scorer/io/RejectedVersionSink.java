package dev.streamlearn.scorer.io;

import dev.streamlearn.schemas.avro.DeadLetter;

/**
 * Where the registry reports versions and controls it refused. The registry is a global store,
 * whose processor cannot forward records downstream, so rejections leave through this sink (a
 * producer to {@code dead-letters} in production, a list in tests).
 */
@FunctionalInterface
public interface RejectedVersionSink {
    void reject(byte[] key, DeadLetter deadLetter);
}
