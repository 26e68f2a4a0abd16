package dev.streamlearn.scorer;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.io.RejectedVersionSink;
import dev.streamlearn.scorer.registry.ControlUpdater;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.RegistryUpdater;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.SeriesScoringProcessor;
import dev.streamlearn.scorer.scoring.SinkNames;
import dev.streamlearn.scorer.scoring.TextScoringProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scorer as a Kafka Streams topology (Processor API).
 *
 * <pre>
 * model-versions ─► RegistryUpdater ─┐ LiveRegistry (global: every instance holds all)
 * model-control  ─► ControlUpdater  ─┘   [model-registry], [model-control]
 * text-events    ─► TextScoringProcessor   ─► text-scores   (+ dead-letters)
 * series-points  ─► SeriesScoringProcessor ─► series-scores (+ dead-letters)
 *                      [series-trackers], [pending-*]  (per task, changelogged)
 * </pre>
 *
 * Inputs are read as bytes and decoded by the processors, so that a record that cannot be read
 * reaches dead-letters with its original bytes instead of stopping the app.
 */
public final class ScorerTopology {
    private ScorerTopology() {}

    /** The topology with a registry of its own, for tests that drive it alone. */
    public static Topology build(
            ScorerOptions options, RejectedVersionSink rejections, ScorerMetrics metrics) {
        return build(options, new LiveRegistry(options.versionsKept()), rejections, metrics);
    }

    /**
     * @param registry what the global processors fold the registry topics into and the scoring
     *     processors serve from
     */
    public static Topology build(
            ScorerOptions options,
            LiveRegistry registry,
            RejectedVersionSink rejections,
            ScorerMetrics metrics) {
        Topology topology = new Topology();
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();

        // Global stores are restored by replaying their topic through these same processors, so
        // they must not be logged (the topic is their changelog). In memory, not RocksDB: every
        // event reads them, and RocksDB cost the text scorer most of its throughput (BENCHMARKS.md,
        // "Scorer"); the price is that each start
        // replays model-versions (bounded by its retention) instead of reading a checkpoint.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(StoreNames.REGISTRY),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                "model-versions-source",
                bytes,
                bytes,
                Topics.MODEL_VERSIONS.name(),
                "registry-updater",
                () ->
                        new RegistryUpdater(
                                registry,
                                rejections,
                                metrics.versionsAccepted,
                                metrics.versionsRejected));
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(StoreNames.CONTROL),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                "model-control-source",
                bytes,
                bytes,
                Topics.MODEL_CONTROL.name(),
                "control-updater",
                () -> new ControlUpdater(registry, rejections));

        topology.addSource("text-events-source", bytes, bytes, Topics.TEXT_EVENTS.name());
        topology.addProcessor(
                "text-scoring",
                () -> new TextScoringProcessor(registry, options, metrics),
                "text-events-source");
        topology.addStateStore(pendingStore(StoreNames.PENDING_TEXT), "text-scoring");
        topology.addSink(
                SinkNames.TEXT_SCORES,
                Topics.TEXT_SCORES.name(),
                Topics.TEXT_SCORES.keySerde().serializer(),
                Topics.TEXT_SCORES.valueSerde().serializer(),
                "text-scoring");

        topology.addSource("series-points-source", bytes, bytes, Topics.SERIES_POINTS.name());
        topology.addProcessor(
                "series-scoring",
                () -> new SeriesScoringProcessor(registry, options, metrics),
                "series-points-source");
        topology.addStateStore(pendingStore(StoreNames.PENDING_SERIES), "series-scoring");
        // Cached: every point reads and rewrites its series' state, and the cache turns those
        // into one RocksDB write and one changelog record per series per commit, not per point.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(StoreNames.SERIES_TRACKERS),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                "series-scoring");
        topology.addSink(
                SinkNames.SERIES_SCORES,
                Topics.SERIES_SCORES.name(),
                Topics.SERIES_SCORES.keySerde().serializer(),
                Topics.SERIES_SCORES.valueSerde().serializer(),
                "series-scoring");

        topology.addSink(
                SinkNames.DEAD_LETTERS,
                Topics.DEAD_LETTERS.name(),
                Topics.DEAD_LETTERS.keySerde().serializer(),
                Topics.DEAD_LETTERS.valueSerde().serializer(),
                "text-scoring",
                "series-scoring");
        return topology;
    }

    private static org.apache.kafka.streams.state.StoreBuilder<?> pendingStore(String name) {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(name), Serdes.Long(), Serdes.ByteArray());
    }
}
