package dev.streamlearn.scorer.gate;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The promotion gate's part of the scorer topology:
 *
 * <pre>
 * each model's input source ─► GateRouter (labelled only) ─► gate-events (key: model)
 * gate-events ─► GateProcessor [model-gates, gate-windows] ─► model-events
 * </pre>
 */
public final class GateWiring {
    static final String SOURCE = "gate-events-source";
    static final String PROCESSOR = "promotion-gate";

    private GateWiring() {}

    /**
     * One served model's labelled events, as the gate reads them.
     *
     * @param model the model they are evidence for
     * @param records what the input topic carries (its family's input topic), for decoding
     * @param sourceNode the topology node reading the model's input topic
     */
    public record GatedInput(String model, Topic<?, ?> records, String sourceNode) {}

    /** Adds the gate, reading each served model's input from the node already reading it. */
    public static void addTo(
            Topology topology,
            List<GatedInput> inputs,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        List<String> routers = new ArrayList<>();
        for (GatedInput in : inputs) {
            String router = "gate-router-" + in.model();
            topology.addProcessor(
                    router,
                    () -> new GateRouter(in.model(), in.records(), registry),
                    in.sourceNode());
            routers.add(router);
        }
        topology.addSink(
                "gate-events-sink",
                Topics.GATE_EVENTS.name(),
                Topics.GATE_EVENTS.keySerde().serializer(),
                Topics.GATE_EVENTS.valueSerde().serializer(),
                routers.toArray(new String[0]));

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
