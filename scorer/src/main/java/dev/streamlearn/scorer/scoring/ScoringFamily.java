package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One model family's scoring, as the scorer's topology wires it: for each model of the family the
 * scorer serves, a {@link ScoringProcessor} with its state stores reading the model's input topic;
 * the family's scores go to one sink. Implemented once per family (package {@code
 * scorer.family.<name>}) and listed in {@code scorer.ScoringFamilies}.
 */
public interface ScoringFamily {
    /** The family whose models this scores. */
    ModelFamily family();

    /** Where every model of the family sends its scores. */
    Topic<?, ?> scores();

    /** The name of the sink node of {@link #scores()}, to which the processors forward. */
    String scoresSink();

    /**
     * Adds {@code model}'s processor and its stores to {@code topology}, reading from {@code
     * model.sourceNode()}.
     *
     * @return the processor's node name: the scores sink and the shared dead-letters sink listen to
     *     it
     */
    String addTo(
            Topology topology,
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics);

    /**
     * The usual wiring of a model: its input (read as bytes by the source node, decoded by the
     * processor, so an unreadable record reaches dead-letters with its bytes) into {@code
     * processor} with its stores.
     *
     * @return {@code processor}
     */
    static String wire(
            Topology topology,
            String processor,
            ProcessorSupplier<byte[], byte[], Object, Object> supplier,
            String sourceNode,
            StoreBuilder<?>... stores) {
        topology.addProcessor(processor, supplier, sourceNode);
        for (StoreBuilder<?> store : stores) {
            topology.addStateStore(store, processor);
        }
        return processor;
    }
}
