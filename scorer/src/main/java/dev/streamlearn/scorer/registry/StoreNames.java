package dev.streamlearn.scorer.registry;

/** Names of the scorer's state stores. */
public final class StoreNames {
    /** Global: accepted versions (weights) of every model, the last K per model. */
    public static final String REGISTRY = "model-registry";

    /** Global: which version serves, per model (pinned version, or follow latest). */
    public static final String CONTROL = "model-control";

    /** Per task: the window and anomaly scale of each series. */
    public static final String SERIES_TRACKERS = "series-trackers";

    /** Per task: text events waiting for a first model. */
    public static final String PENDING_TEXT = "pending-text";

    /** Per task: series points waiting for a first model. */
    public static final String PENDING_SERIES = "pending-series";

    private StoreNames() {}
}
