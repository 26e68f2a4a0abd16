package dev.streamlearn.models.spec;

import static dev.streamlearn.models.spec.ParamValidators.inRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classifier's output slots and the labels that hold them, declared once for every classifier
 * family: {@code maxLabels} slots, and {@code labels}, the labels learned so far, comma-separated,
 * in the order they first appeared (which is slot order). Each family makes its own pair of
 * parameters ({@link #of}); what a family does when a label finds every slot taken (refuse it, or
 * grow) is the family's.
 */
public final class LabelSlots {
    private final Param<Integer> maxLabels;
    private final Param<String> labels;

    private LabelSlots(Param<Integer> maxLabels, Param<String> labels) {
        this.maxLabels = maxLabels;
        this.labels = labels;
    }

    /**
     * A family's {@code maxLabels}, {@code defaultSlots} by default, and its {@code labels}, for a
     * family whose slots do not grow.
     */
    public static LabelSlots of(int defaultSlots) {
        return of("Output slots: the most labels the model learns.", defaultSlots, 4096);
    }

    /**
     * A family's {@code maxLabels}, {@code defaultSlots} by default, and its {@code labels}, for a
     * family whose slots double when a new label finds them all taken, up to {@code mostSlots}.
     */
    public static LabelSlots growing(int defaultSlots, int mostSlots) {
        return of(
                "Output slots to start with; when a new label finds them all taken they"
                        + " double, learned weights kept, up to "
                        + mostSlots
                        + ".",
                defaultSlots,
                mostSlots);
    }

    /**
     * A family's {@code maxLabels} (described as {@code description}, {@code defaultSlots} by
     * default, valid in [2, {@code mostSlots}]) and its {@code labels}.
     */
    public static LabelSlots of(String description, int defaultSlots, int mostSlots) {
        return new LabelSlots(
                Param.intParam("maxLabels", description, defaultSlots, inRange(2, mostSlots)),
                Param.stringParam(
                        "labels",
                        "Labels learned so far, comma-separated, in slot order.",
                        "",
                        v -> {
                            List<String> labels = split(v);
                            return labels.stream().anyMatch(String::isEmpty)
                                            || labels.stream().distinct().count() != labels.size()
                                    ? "must be distinct non-empty labels separated by ','"
                                    : null;
                        }));
    }

    public Param<Integer> maxLabels() {
        return maxLabels;
    }

    public Param<String> labels() {
        return labels;
    }

    /** The labels of {@code spec}, in slot order. */
    public List<String> labels(ModelSpec spec) {
        return split(spec.get(labels));
    }

    /**
     * {@code spec} with {@code label} given the next free slot.
     *
     * @throws IllegalArgumentException if the label is empty or contains ',', or all slots are
     *     taken
     */
    public ModelSpec withLabel(ModelSpec spec, String label) {
        List<String> held = new ArrayList<>(labels(spec));
        requireValidLabel(label);
        if (held.contains(label)) {
            return spec;
        }
        if (held.size() >= spec.get(maxLabels)) {
            throw new IllegalArgumentException(
                    "label '"
                            + label
                            + "' does not fit: all "
                            + spec.get(maxLabels)
                            + " slots (maxLabels) are taken by "
                            + held);
        }
        held.add(label);
        return spec.with(labels, String.join(",", held));
    }

    /**
     * @throws IllegalArgumentException if the label is empty or contains ',' (the list's separator)
     */
    public static void requireValidLabel(String label) {
        if (label.isEmpty() || label.contains(",")) {
            throw new IllegalArgumentException(
                    "label '" + label + "' must be non-empty and must not contain ','");
        }
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(",", -1));
    }
}
