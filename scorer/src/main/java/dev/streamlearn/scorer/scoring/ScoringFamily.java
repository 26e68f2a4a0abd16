package dev.streamlearn.scorer.scoring;

import dev.streamlearn.scorer.registry.LiveRegistry;
import org.apache.kafka.streams.Topology;

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
}
