package dev.streamlearn.trainer.parallel;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How a model's combined weights come back to its learners: Flink 2 has no iterations, so the
 * combiner sends each state of them ({@link FeedVersion}) through a channel of its own ({@link
 * Sink}), which every learner subtask reads in order ({@link KafkaVersionFeed}: a topic beside
 * {@code model-versions}). The published versions are not the channel: they come on the model's
 * publish policy, and a learner needs every combine.
 */
public interface VersionFeed extends AutoCloseable {
    /** The states read since the last call, oldest first; empty if none. */
    List<FeedVersion> take();

    /** Waits up to {@code timeout} until a state not yet taken has been read. */
    void await(Duration timeout) throws InterruptedException;

    @Override
    void close();

    /** Where the combiner sends the states of every model it combines. */
    interface Sink extends AutoCloseable {
        void send(String model, FeedVersion state);

        @Override
        void close();
    }

    /** Opens feeds and sinks; travels inside the job graph. */
    interface Factory extends Serializable {
        /**
         * A feed of {@code model}'s states sent from now on.
         *
         * @param client names the client (one per learner subtask)
         */
        VersionFeed open(String model, String client);

        /** A sink for the combiner subtask named {@code client}. */
        Sink sink(String client);
    }
}
