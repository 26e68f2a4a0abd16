package dev.streamlearn.trainer.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * A running training job. {@link #close()} stops it with a savepoint, which commits every version
 * published so far; the next start from the same checkpoint directory continues from it.
 */
public final class TrainingJobHandle implements AutoCloseable {
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final JobClient client;
    private final Path checkpointDir;
    private final Optional<Path> restoredFrom;
    private volatile boolean closed;

    TrainingJobHandle(JobClient client, Path checkpointDir, Optional<Path> restoredFrom) {
        this.client = client;
        this.checkpointDir = checkpointDir;
        this.restoredFrom = restoredFrom;
    }

    public JobID jobId() {
        return client.getJobID();
    }

    /** The checkpoint or savepoint this run restored from; empty for a fresh start. */
    public Optional<Path> restoredFrom() {
        return restoredFrom;
    }

    public Path checkpointDir() {
        return checkpointDir;
    }

    /**
     * Blocks until the job ends; it only ends on its own when it fails beyond its restart strategy.
     *
     * @throws ExecutionException with the job's failure
     */
    public void awaitTermination() throws InterruptedException, ExecutionException {
        client.getJobExecutionResult().get();
    }

    /**
     * Stops the job with a savepoint into the checkpoint directory; if that does not finish in
     * time, cancels it (its last retained checkpoint then serves the next start).
     *
     * @return the savepoint's location, or empty when the job was cancelled instead
     */
    public Optional<String> stop() {
        if (closed) {
            return Optional.empty();
        }
        closed = true;
        try {
            String savepoint =
                    client.stopWithSavepoint(
                                    false,
                                    checkpointDir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(savepoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } catch (ExecutionException | TimeoutException e) {
            cancel();
        }
        return Optional.empty();
    }

    private void cancel() {
        try {
            client.cancel().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Already finished or unreachable: nothing is left to stop.
        }
    }

    @Override
    public void close() {
        stop();
    }
}
