package dev.streamlearn.scorer.registry;

/** Names of the scorer's state stores. */
public final class StoreNames {
    /** Global: the weights bytes of every held version, as received, under {@link #versionKey}. */
    public static final String REGISTRY = "model-registry";

    /** Global: the latest {@code model-control} record of each model, under its name. */
    public static final String CONTROL = "model-control";

    /** Global: the latest {@code model-events} record (gate decision) of each model. */
    public static final String DECISIONS = "model-events";

    /** Per task: each gated model's promotion gate (see {@code scorer.gate.GateProcessor}). */
    public static final String GATES = "model-gates";

    /** Per task: the last values of each series the gate forecasts, under model and series. */
    public static final String GATE_WINDOWS = "gate-windows";

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
