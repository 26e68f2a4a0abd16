package dev.streamlearn.schemas.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs one fuzz case with a deadline, so a decoder that hangs fails the case instead of the build,
 * and measures what the case allocated, so a decoder that believes a length prefix asking for
 * gigabytes is caught even where the heap happens to be large enough to survive it.
 */
public final class Bounded {
    /**
     * Far above any decoder's time on one small input: only a hang or a runaway loop reaches it.
     */
    public static final Duration PER_CASE = Duration.ofSeconds(5);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Bounded() {}

    /** What one case returned or threw, and the bytes its thread allocated meanwhile. */
    public record Outcome<T>(T value, Exception failure, long allocatedBytes) {}

    /**
     * Runs {@code work} within {@link #PER_CASE}; its checked or unchecked exception is returned,
     * not thrown, for the property to judge. Errors (OutOfMemoryError, StackOverflowError) and the
     * deadline fail the case.
     */
    public static <T> Outcome<T> call(Callable<T> work) {
        return assertTimeoutPreemptively(
                PER_CASE,
                () -> {
                    long thread = Thread.currentThread().getId();
                    long before = THREADS.getThreadAllocatedBytes(thread);
                    T value = null;
                    Exception failure = null;
                    try {
                        value = work.call();
                    } catch (Exception e) {
                        failure = e;
                    }
                    long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
                    return new Outcome<>(value, failure, allocated);
                },
                "one fuzz case took longer than " + PER_CASE);
    }
}
