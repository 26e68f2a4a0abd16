package dev.streamlearn.scorer;

import dev.streamlearn.models.pipeline.DeclaredModel;
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
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.SinkNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scorer as a Kafka Streams topology (Processor API).
 *
 * <pre>
 * model-events   ─► GateUpdater     ─┐
 * model-versions ─► RegistryUpdater ─┤ LiveRegistry (global: every instance holds all)
 * model-control  ─► ControlUpdater  ─┘   [model-events], [model-registry], [model-control]
 * per served model (ScorerOptions.served: by default one per family, on its topic):
 * text-events    ─► TextScoringProcessor   ─► text-scores   (+ dead-letters)
 * series-points  ─► SeriesScoringProcessor ─► series-scores (+ dead-letters)
 *                      [series-trackers], [pending-*]  (per task, changelogged)
 * (one source per input topic, whatever the number of models reading it; a model other than the
 * first of its family on the family's topic has its own processor and stores, named -model)
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
        List<GateWiring.GatedInput> gated = new ArrayList<>();
        Map<String, String> sourceOf = new HashMap<>();
        for (ScoringFamily family : ScoringFamilies.ALL) {
            List<DeclaredModel> models = options.served().of(family.family());
            List<String> processors = new ArrayList<>();
            boolean ownTopicTaken = false;
            for (DeclaredModel model : models) {
                boolean firstOnTopic = !sourceOf.containsKey(model.topic());
                String source =
                        sourceOf.computeIfAbsent(
                                model.topic(), topic -> addSource(topology, topic));
                boolean first =
                        !ownTopicTaken && model.topic().equals(family.family().inputTopic().name());
                ownTopicTaken |= first;
                ServedModel served =
                        new ServedModel(
                                model.name(),
                                source,
                                first ? "" : "-" + model.name(),
                                firstOnTopic);
                processors.add(family.addTo(topology, served, registry, options, metrics));
                gated.add(
                        new GateWiring.GatedInput(
                                model.name(), family.family().inputTopic(), source));
            }
            if (!processors.isEmpty()) {
                topology.addSink(
                        family.scoresSink(),
                        family.scores().name(),
                        serializer(family.scores().keySerde()),
                        serializer(family.scores().valueSerde()),
                        processors.toArray(new String[0]));
            }
            scoringProcessors.addAll(processors);
        }
        GateWiring.addTo(topology, gated, registry, options, metrics);
        topology.addSink(
                SinkNames.DEAD_LETTERS,
                Topics.DEAD_LETTERS.name(),
                Topics.DEAD_LETTERS.keySerde().serializer(),
                Topics.DEAD_LETTERS.valueSerde().serializer(),
                scoringProcessors.toArray(new String[0]));
        return topology;
    }

    /** The node reading {@code topic}, as bytes: each processor decodes what it reads. */
    private static String addSource(Topology topology, String topic) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        String source = topic + "-source";
        topology.addSource(source, bytes, bytes, topic);
        return source;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serializer<T> serializer(Serde<?> serde) {
        return (Serializer<T>) serde.serializer();
    }
}
