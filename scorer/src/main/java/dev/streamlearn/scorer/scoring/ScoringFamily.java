package dev.streamlearn.scorer.scoring;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One model family's scoring, as the scorer's topology wires it: from the family's input topic,
 * through its {@link ScoringProcessor} and state stores, to its scores topic. Implemented once per
 * family (package {@code scorer.family.<name>}) and listed in {@code scorer.ScoringFamilies}.
 */
public interface ScoringFamily {
    /**
     * Adds the family's source, processor, stores and scores sink to {@code topology}.
     *
     * @return the processor's node name, which the shared dead-letters sink also listens to
     */
    String addTo(
            Topology topology, LiveRegistry registry, ScorerOptions options, ScorerMetrics metrics);

    /**
     * The usual wiring of a family: {@code input} read as bytes (its processor decodes, so an
     * unreadable record reaches dead-letters with its bytes) into {@code processor} with its
     * stores, whose scores go to {@code scores}.
     *
     * @return {@code processor}
     */
    static String wire(
            Topology topology,
            String processor,
            ProcessorSupplier<byte[], byte[], Object, Object> supplier,
            Topic<?, ?> input,
            Topic<?, ?> scores,
            String scoresSink,
            StoreBuilder<?>... stores) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        String source = input.name() + "-source";
        topology.addSource(source, bytes, bytes, input.name());
        topology.addProcessor(processor, supplier, source);
        for (StoreBuilder<?> store : stores) {
            topology.addStateStore(store, processor);
        }
        topology.addSink(
                scoresSink,
                scores.name(),
                scores.keySerde().serializer(),
                scores.valueSerde().serializer(),
                processor);
        return processor;
    }
}
