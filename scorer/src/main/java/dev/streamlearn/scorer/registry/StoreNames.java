package dev.streamlearn.scorer.registry;

/** Names of the scorer's state stores. */
public final class StoreNames {
    /** Global: the weights bytes of every held version, as received, under {@link #versionKey}. */
    public static final String REGISTRY = "model-registry";

    /** Global: the latest {@code model-control} record of each model, under its name. */
    public static final String CONTROL = "model-control";

    /** Per task: the window and anomaly scale of each series. */
    public static final String SERIES_TRACKERS = "series-trackers";

    /** Per task: text events waiting for a first model. */
    public static final String PENDING_TEXT = "pending-text";

    /** Per task: series points waiting for a first model. */
    public static final String PENDING_SERIES = "pending-series";

    private StoreNames() {}

    /** Versions sort by number within a model, so a range scan lists them oldest first. */
    public static String versionKey(String model, long version) {
        return "v/" + model + "/" + String.format("%019d", version);
    }
}
