package dev.streamlearn.models.codec;

/** Encoded weights that cannot be used; {@link #check()} says which check failed. */
public final class WeightsFormatException extends Exception {
    /** The checks of {@link WeightsCodec#decode} and {@link WeightsDelta#apply}, in order. */
    public enum Check {
        MAGIC,
        FORMAT_VERSION,
        /** A delta's changes given to a decoder of whole weights. */
        DELTA,
        /** A delta applied to other parameters than the ones it was made from. */
        BASE,
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
