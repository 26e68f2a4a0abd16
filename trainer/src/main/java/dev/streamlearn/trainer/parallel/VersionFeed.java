package dev.streamlearn.trainer.parallel;

import java.io.Serializable;

/**
 * Where a learner subtask reads its model's combined versions back: Flink 2 has no iterations, so
 * the combiner's output returns to the learners through {@code model-versions} itself ({@link
 * KafkaVersionFeed}).
 */
public interface VersionFeed extends AutoCloseable {
    /**
     * Whether a full version has been read, so light ones can be rebuilt; until then the learner
     * asks the combiner for a full one.
     */
    boolean hasFullWeights();

    /** The newest version read so far, or null before the first. */
    FeedVersion newest();

    /**
     * Waits up to {@code timeout} for a version above {@code version}; returns the newest read by
     * then, or null if none.
     */
    FeedVersion awaitNewer(long version, java.time.Duration timeout) throws InterruptedException;

    @Override
    void close();

    /** Opens feeds; travels inside the job graph. */
    interface Factory extends Serializable {
        /**
         * A feed of {@code model}'s versions published from now on.
         *
         * @param client names the client (one per learner subtask)
         */
        VersionFeed open(String model, String client);
    }
}
