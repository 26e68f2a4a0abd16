package dev.streamlearn.scorer.scoring;

/** Names of the topology's sink nodes, which the scoring processors forward to by name. */
public final class SinkNames {
    public static final String DEAD_LETTERS = "dead-letters-sink";

    private SinkNames() {}
}
