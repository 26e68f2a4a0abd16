package dev.streamlearn.models.registry;

/**
 * How a model's serving version is chosen; set per model by {@code model-control} records (README,
 * "Serving policies").
 */
public enum ServingPolicy {
    /**
     * The version the promotion gate promoted last serves; a new version is a candidate, scored in
     * shadow, until the gate promotes or rejects it. The policy of a model without a control
     * record.
     */
    GATED,
    /** The newest accepted version serves from the moment it arrives (no gate). */
    FOLLOW,
    /** One chosen version serves while it is held. */
    PIN
}
