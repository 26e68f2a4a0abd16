package dev.streamlearn.scorer;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.gate.GateWiring;
import dev.streamlearn.scorer.io.RejectedVersionSink;
import dev.streamlearn.scorer.registry.ControlUpdater;
import dev.streamlearn.scorer.registry.GateUpdater;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.RegistryUpdater;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import dev.streamlearn.scorer.scoring.SinkNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scorer as a Kafka Streams topology (Processor API).
 *
 * <pre>
 * model-events   ─► GateUpdater     ─┐
 * model-versions ─► RegistryUpdater ─┤ LiveRegistry (global: every instance holds all)
 * model-control  ─► ControlUpdater  ─┘   [model-events], [model-registry], [model-control]
 * per family (ScoringFamilies):
 * text-events    ─► TextScoringProcessor   ─► text-scores   (+ dead-letters)
 * series-points  ─► SeriesScoringProcessor ─► series-scores (+ dead-letters)
 *                      [series-trackers], [pending-*]  (per task, changelogged)
 * the promotion gate (GateWiring): labelled events ─► gate-events ─► GateProcessor ─► model-events
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
        return build(options, new LiveRegistry(options.emptyRegistry()), rejections, metrics);
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
        // model-events first: global stores are restored in the order they are added, and the
        // registry must know the promoted versions while it replays model-versions, or it would
        // push them out with the other versions beyond the last K.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(StoreNames.DECISIONS),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                "model-events-source",
                bytes,
                bytes,
                Topics.MODEL_EVENTS.name(),
                "gate-updater",
                () -> new GateUpdater(registry, rejections));
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
                                metrics.versionsRejected,
                                metrics.versionsUntrusted));
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

        List<String> scoringProcessors = new ArrayList<>();
        for (ScoringFamily family : ScoringFamilies.ALL) {
            scoringProcessors.add(family.addTo(topology, registry, options, metrics));
        }
        GateWiring.addTo(
                topology,
                Topics.TEXT_EVENTS.name() + "-source",
                Topics.SERIES_POINTS.name() + "-source",
                registry,
                options,
                metrics);
        topology.addSink(
                SinkNames.DEAD_LETTERS,
                Topics.DEAD_LETTERS.name(),
                Topics.DEAD_LETTERS.keySerde().serializer(),
                Topics.DEAD_LETTERS.valueSerde().serializer(),
                scoringProcessors.toArray(new String[0]));
        return topology;
    }
}
