package dev.streamlearn.models.spec;

/**
 * A string hyper-parameter that lists whole numbers in [1, {@code most}] separated by ',' (a
 * network's layer sizes or filter counts, input side first), parsed and validated alike.
 */
public final class CountList {
    private final String what;
    private final int most;
    private final String example;

    /**
     * Counts of {@code what} (e.g. "layer sizes"), at most {@code most} each, like {@code example}.
     */
    public CountList(String what, int most, String example) {
        this.what = what;
        this.most = most;
        this.example = example;
    }

    /**
     * @throws IllegalArgumentException naming the range and an example unless every part of {@code
     *     joined} is a count in range
     */
    public int[] parse(String joined) {
        String[] parts = joined.split(",", -1);
        int[] counts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                counts[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                counts[i] = 0;
            }
            if (counts[i] < 1 || counts[i] > most) {
                throw new IllegalArgumentException(
                        "must be one or more "
                                + what
                                + " in [1, "
                                + most
                                + "] separated by ',', e.g. "
                                + example);
            }
        }
        return counts;
    }

    /** The validator of a parameter that holds such a list: {@link #parse}'s reason, or null. */
    public ParamValidator<String> validator() {
        return v -> {
            try {
                parse(v);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        };
    }
}
