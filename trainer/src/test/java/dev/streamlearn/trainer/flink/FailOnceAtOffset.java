package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.record.RecordOrigin;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Test-only: passes records through, but fails the task once, on the first record at {@code
 * offset}. The flag is static because the restarted task is a new instance in the same JVM.
 */
final class FailOnceAtOffset implements MapFunction<RecordOrigin, RecordOrigin> {
    static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long offset;

    FailOnceAtOffset(long offset) {
        this.offset = offset;
    }

    @Override
    public RecordOrigin map(RecordOrigin r) {
        if (r.offset() == offset && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("test failure injected at offset " + offset);
        }
        return r;
    }
}
