package dev.streamlearn.trainer.training;

import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.trainer.versions.DeltaPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How the training job publishes and forgets, declared once with defaults.
 *
 * @param publishEveryMiniBatches publish a new version after this many fitted mini-batches (default
 *     {@value #DEFAULT_PUBLISH_EVERY_MINI_BATCHES})
 * @param publishInterval publish at the latest this long after the first unpublished fit (default
 *     {@link #DEFAULT_PUBLISH_INTERVAL}); a version becomes visible to read_committed readers at
 *     the next completed checkpoint
 * @param seriesIdleTimeout a series without a point for this long (processing time) has its window
 *     dropped, so dead series do not pile up in state (default {@link
 *     #DEFAULT_SERIES_IDLE_TIMEOUT})
 * @param maxBatchSize the largest mini-batch a learner grows to while it is behind its input
 *     (default {@value #DEFAULT_MAX_BATCH_SIZE}); at or below a spec's {@code batchSize}, that
 *     model's mini-batches keep the spec's size ({@link AdaptiveBatchSize})
 * @param targetLag the trainer's lag (now minus the append time of the newest example fitted) above
 *     which mini-batches grow (default {@link #DEFAULT_TARGET_LAG})
 * @param signingKey the key every published version is signed with, or null to publish unsigned
 *     versions, which only scorers started with {@code --allow-unsigned} serve (default: null; the
 *     commands read it from {@code --signing-key} or, in {@code local}, its data directory)
 * @param parallelism learner subtasks of every text model that does not set its own, each model
 *     then learned data-parallel ({@code trainer.parallel}), or null (the default) for one learner
 *     per model as before; forecasters always keep one
 * @param versions when a published version carries full weights rather than only what changed since
 *     the one before (default {@link DeltaPolicy#defaults()})
 */
public record TrainingOptions(
        int publishEveryMiniBatches,
        Duration publishInterval,
        Duration seriesIdleTimeout,
        int maxBatchSize,
        Duration targetLag,
        SigningKey signingKey,
        Integer parallelism,
        DeltaPolicy versions)
        implements Serializable {
    /**
     * Enough that the interval, not the count, sets the pace by default even for the fast learners
     * at full speed (10,000 mini-batches of 8 is about 5 s of their bare loop): a default text
     * version is 4 MB, and at 500 mini-batches a fast learner published several a second.
     */
    public static final int DEFAULT_PUBLISH_EVERY_MINI_BATCHES = 10_000;

    /**
     * With the job's checkpoint interval, what sets freshness (a version is visible once the
     * checkpoint after it completes); chosen with light versions so that freshness stays within 2 s
     * at the median and 4 s at p99 while {@code model-versions} grows a tenth of what full versions
     * every 5 s wrote (BENCHMARKS.md, "Light versions").
     */
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(2);

    public static final Duration DEFAULT_SERIES_IDLE_TIMEOUT = Duration.ofDays(1);
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final Duration DEFAULT_TARGET_LAG = Duration.ofSeconds(1);

    public TrainingOptions {
        if (publishEveryMiniBatches < 1) {
            throw new IllegalArgumentException(
                    "publishEveryMiniBatches = " + publishEveryMiniBatches + ", expected >= 1");
        }
        if (publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException(
                    "publishInterval = " + publishInterval + ", expected > 0");
        }
        if (seriesIdleTimeout.isNegative() || seriesIdleTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "seriesIdleTimeout = " + seriesIdleTimeout + ", expected > 0");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException(
                    "maxBatchSize = " + maxBatchSize + ", expected >= 1");
        }
        if (targetLag.isNegative() || targetLag.isZero()) {
            throw new IllegalArgumentException("targetLag = " + targetLag + ", expected > 0");
        }
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("parallelism = " + parallelism + ", expected >= 1");
        }
        Objects.requireNonNull(versions, "versions");
    }

    /** Options of {@code parallelism} learners per text model, versions by the default policy. */
    public TrainingOptions(
            int publishEveryMiniBatches,
            Duration publishInterval,
            Duration seriesIdleTimeout,
            int maxBatchSize,
            Duration targetLag,
            SigningKey signingKey,
            Integer parallelism) {
        this(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                parallelism,
                DeltaPolicy.defaults());
    }

    /** Options of one learner per model. */
    public TrainingOptions(
            int publishEveryMiniBatches,
            Duration publishInterval,
            Duration seriesIdleTimeout,
            int maxBatchSize,
            Duration targetLag,
            SigningKey signingKey) {
        this(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                null);
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(
                DEFAULT_PUBLISH_EVERY_MINI_BATCHES,
                DEFAULT_PUBLISH_INTERVAL,
                DEFAULT_SERIES_IDLE_TIMEOUT,
                DEFAULT_MAX_BATCH_SIZE,
                DEFAULT_TARGET_LAG,
                null);
    }

    public TrainingOptions withPublishEveryMiniBatches(int n) {
        return new TrainingOptions(
                n,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                parallelism,
                versions);
    }

    public TrainingOptions withPublishInterval(Duration interval) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                interval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                parallelism,
                versions);
    }

    public TrainingOptions withSeriesIdleTimeout(Duration timeout) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                timeout,
                maxBatchSize,
                targetLag,
                signingKey,
                parallelism,
                versions);
    }

    public TrainingOptions withMaxBatchSize(int size) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                size,
                targetLag,
                signingKey,
                parallelism,
                versions);
    }

    public TrainingOptions withTargetLag(Duration lag) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                lag,
                signingKey,
                parallelism,
                versions);
    }

    /** These options signing every version with {@code key} (null: unsigned). */
    public TrainingOptions withSigningKey(SigningKey key) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                key,
                parallelism,
                versions);
    }

    /**
     * These options learning each text model that does not say otherwise with {@code n} learners.
     */
    public TrainingOptions withParallelism(int n) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                n,
                versions);
    }

    /** These options publishing versions by {@code policy}, full ones or deltas. */
    public TrainingOptions withVersions(DeltaPolicy policy) {
        return new TrainingOptions(
                publishEveryMiniBatches,
                publishInterval,
                seriesIdleTimeout,
                maxBatchSize,
                targetLag,
                signingKey,
                parallelism,
                policy);
    }

    /**
     * Whose published weights a model started without state may continue learning from: only its
     * own key's when it signs, so that weights someone else wrote to {@code model-versions} are
     * never trained on and signed; any unsigned version's when it does not (as before signing).
     */
    public VersionTrust ownVersions() {
        return signingKey == null
                ? VersionTrust.unsignedOnly()
                : VersionTrust.signedBy(signingKey.publicKeyId());
    }
}
