package dev.streamlearn.trainer.flink;

import dev.streamlearn.trainer.training.TrainingOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs the training job ({@code train}, {@code local}, {@code
 * flink run ... TrainingJobMain}) that say how far mini-batches may grow while the trainer lags
 * behind its input ({@code AdaptiveBatchSize}). A picocli mixin.
 */
public final class MiniBatchOptions {
    @Option(
            names = "--max-batch-size",
            paramLabel = "N",
            defaultValue = "" + TrainingOptions.DEFAULT_MAX_BATCH_SIZE,
            description =
                    "Largest mini-batch a learner grows to while it lags behind its input; the"
                            + " spec's batchSize or less keeps it fixed (default: ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(
            names = "--target-lag-ms",
            paramLabel = "MS",
            description =
                    "Mini-batches grow while the newest example fitted was appended longer ago"
                            + " than this (default: ${DEFAULT-VALUE}).")
    long targetLagMs = TrainingOptions.DEFAULT_TARGET_LAG.toMillis();

    /**
     * {@code options} with these settings.
     *
     * @throws IllegalArgumentException naming the option, if a value is out of range
     */
    public TrainingOptions applyTo(TrainingOptions options) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException(
                    "--max-batch-size " + maxBatchSize + ": expected 1 or more");
        }
        if (targetLagMs < 1) {
            throw new IllegalArgumentException(
                    "--target-lag-ms " + targetLagMs + ": expected 1 or more");
        }
        return options.withMaxBatchSize(maxBatchSize).withTargetLag(Duration.ofMillis(targetLagMs));
    }
}
