package dev.streamlearn.scorer;

import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.kafka.TransientKafkaErrors;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scorer instance: the {@link ScorerTopology} in a {@link KafkaStreams} client. Start
 * several with the same application id and they share the partitions; each holds the whole
 * registry. Used by {@code streamlearn score} and {@code streamlearn local}.
 */
public final class ScorerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScorerApp.class);

    private final KafkaStreams streams;
    private final TransientKafkaErrors.ReplacementBudget replacements =
            new TransientKafkaErrors.ReplacementBudget(10, Duration.ofMinutes(10));
    private final KafkaRejectedVersionSink rejections;
    private final ScorerMetrics metrics;
    private final LiveRegistry registry;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ScorerApp(Properties config, ScorerOptions options) {
        this.metrics = new ScorerMetrics();
        // Beside the Streams client, with its bootstrap servers and security settings.
        this.rejections = new KafkaRejectedVersionSink(KafkaConnection.of(config));
        this.registry = new LiveRegistry(options.emptyRegistry());
        this.streams =
                new KafkaStreams(
                        ScorerTopology.build(options, registry, rejections, metrics), config);
        streams.setUncaughtExceptionHandler(
                e -> {
                    // Errors we can route (unreadable records, refused versions) never get here.
                    // What a broker restart leaves behind, a new thread gets past from the last
                    // commit; anything else is a bug or a broker problem, and scoring on with it
                    // could lose records.
                    if (TransientKafkaErrors.isTransient(e) && replacements.take()) {
                        LOG.warn("scorer thread replaced after a broker error: {}", e.toString());
                        return StreamThreadExceptionResponse.REPLACE_THREAD;
                    }
                    LOG.error("scorer stopped by an unexpected error", e);
                    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
        streams.setStateListener(
                (now, before) -> {
                    LOG.info("scorer {} -> {}", before, now);
                    if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                        stopped.countDown();
                    }
                });
    }

    /** Starts a scorer against {@code bootstrap}; see {@link ScorerConfig#load} for the config. */
    public static ScorerApp start(
            String bootstrap, Path stateDir, Path configFile, ScorerOptions options) {
        return start(bootstrap, stateDir, configFile, Optional.empty(), options);
    }

    /**
     * As {@link #start(String, Path, Path, ScorerOptions)}, as the static group member {@code
     * instanceId} when given ({@link ScorerConfig#load(Path, String, Path, Optional)}).
     */
    public static ScorerApp start(
            String bootstrap,
            Path stateDir,
            Path configFile,
            Optional<String> instanceId,
            ScorerOptions options) {
        ScorerApp app =
                new ScorerApp(
                        ScorerConfig.load(configFile, bootstrap, stateDir, instanceId), options);
        app.streams.start();
        return app;
    }

    public ScorerMetrics metrics() {
        return metrics;
    }

    /**
     * The registry this instance serves from, or empty while it is not running (starting,
     * restoring, stopping, stopped): a status line asking while Ctrl-C stops {@code local} must not
     * fail the command.
     */
    public Optional<RegistryState> registry() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                ? Optional.of(registry.state())
                : Optional.empty();
    }

    /** The Kafka Streams client, for metrics binders only: this class drives its life cycle. */
    public KafkaStreams client() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Blocks until the scorer has stopped (after {@link #close()} or a fatal error). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Waits until this instance has joined and started processing, or the timeout passes. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                return false;
            }
            stopped.await(100, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    @Override
    public void close() {
        // Leave the group now, so that a restart does not wait out the old member's session.
        streams.close(
                CloseOptions.timeout(Duration.ofSeconds(30))
                        .withGroupMembershipOperation(
                                CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        rejections.close();
        stopped.countDown();
    }
}
