package dev.streamlearn.models.codec;

/** Encoded weights that cannot be used; {@link #check()} says which check failed. */
public final class WeightsFormatException extends Exception {
    /** The checks of {@link WeightsCodec#decode}, in the order they run. */
    public enum Check {
        MAGIC,
        FORMAT_VERSION,
        STRUCTURE,
        SPEC,
        PARAMETER_COUNT,
        CHECKSUM,
        FINITE
    }

    private final Check check;

    public WeightsFormatException(Check check, String message) {
        super("weights failed the " + check + " check: " + message);
        this.check = check;
    }

    public Check check() {
        return check;
    }
}
