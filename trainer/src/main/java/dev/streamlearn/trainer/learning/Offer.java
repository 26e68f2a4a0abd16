package dev.streamlearn.trainer.learning;

/**
 * What a learner did with one example.
 *
 * @param status what happened
 * @param rejection why it was refused ({@link Status#REJECTED} only)
 * @param score the loss DL4J reported for the mini-batch ({@link Status#TRAINED} and {@link
 *     Status#REVERTED}), else NaN
 */
public record Offer(Status status, Rejection rejection, double score) {
    public enum Status {
        /** Kept for the next mini-batch. */
        BUFFERED,
        /** Completed a mini-batch, which was fitted. */
        TRAINED,
        /** Completed a mini-batch whose fit gave a non-finite score or parameters: undone. */
        REVERTED,
        /** Refused; the learner is unchanged. */
        REJECTED
    }

    static final Offer BUFFERED = new Offer(Status.BUFFERED, null, Double.NaN);

    /** A mini-batch fitted and applied, with its loss. */
    public static Offer trained(double loss) {
        return new Offer(Status.TRAINED, null, loss);
    }

    /** A mini-batch whose fit went non-finite and was not applied; {@code loss} as it came. */
    public static Offer reverted(double loss) {
        return new Offer(Status.REVERTED, null, loss);
    }

    public static Offer rejected(String reason) {
        return new Offer(Status.REJECTED, new Rejection(reason), Double.NaN);
    }
}
