package dev.streamlearn.scorer.scoring;

/**
 * One model as the scorer's topology wires it: its name, the node that reads its input topic, and
 * the suffix its processor and stores are named with. The first model of a family on the family's
 * own topic has none, so its stores keep the names (and changelogs) they had before a scorer could
 * serve several models; any other has {@code -name}.
 *
 * @param name the model name: the key of its versions, the {@code model} of its scores
 * @param sourceNode the topology node reading its input topic (one per topic, shared)
 * @param suffix appended to its processor's and stores' names
 * @param reportsUnreadable whether it dead-letters the topic's unreadable records: only the first
 *     model on a topic does, so each such record is dead-lettered once
 */
public record ServedModel(
        String name, String sourceNode, String suffix, boolean reportsUnreadable) {

    /** {@code base} with this model's suffix: a node or store of its own. */
    public String named(String base) {
        return base + suffix;
    }
}
