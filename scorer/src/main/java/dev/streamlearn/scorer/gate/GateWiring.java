package dev.streamlearn.scorer.gate;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The promotion gate's part of the scorer topology:
 *
 * <pre>
 * text-events-source   ─► GateRouter (labelled only) ─┐
 * series-points-source ─► GateRouter ─────────────────┴► gate-events (key: model)
 * gate-events ─► GateProcessor [model-gates, gate-windows] ─► model-events
 * </pre>
 */
public final class GateWiring {
    static final String SOURCE = "gate-events-source";
    static final String PROCESSOR = "promotion-gate";

    private GateWiring() {}

    /**
     * Adds the gate, reading from the families' existing source nodes.
     *
     * @param textSource the node that reads {@code text-events}
     * @param seriesSource the node that reads {@code series-points}
     */
    public static void addTo(
            Topology topology,
            String textSource,
            String seriesSource,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        topology.addProcessor(
                "gate-router-text",
                () -> new GateRouter(options.textModel(), Topics.TEXT_EVENTS, registry),
                textSource);
        topology.addProcessor(
                "gate-router-series",
                () -> new GateRouter(options.seriesModel(), Topics.SERIES_POINTS, registry),
                seriesSource);
        topology.addSink(
                "gate-events-sink",
                Topics.GATE_EVENTS.name(),
                Topics.GATE_EVENTS.keySerde().serializer(),
                Topics.GATE_EVENTS.valueSerde().serializer(),
                "gate-router-text",
                "gate-router-series");

        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        topology.addSource(SOURCE, bytes, bytes, Topics.GATE_EVENTS.name());
        topology.addProcessor(
                PROCESSOR, () -> new GateProcessor(registry, options, metrics), SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.GATES),
                        Serdes.String(),
                        Serdes.ByteArray()),
                PROCESSOR);
        // Cached: every point rewrites its series' window, as in series-trackers.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(StoreNames.GATE_WINDOWS),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                PROCESSOR);
        topology.addSink(
                "model-events-sink",
                Topics.MODEL_EVENTS.name(),
                Topics.MODEL_EVENTS.keySerde().serializer(),
                Topics.MODEL_EVENTS.valueSerde().serializer(),
                PROCESSOR);
    }
}
