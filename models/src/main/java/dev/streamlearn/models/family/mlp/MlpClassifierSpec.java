package dev.streamlearn.models.family.mlp;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;

import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hyper-parameters of {@code mlp-classifier}: a numeric feature vector of {@link #INPUTS} values →
 * dense layers of {@link #HIDDEN} units with {@link #ACTIVATION} → softmax over {@link #MAX_LABELS}
 * slots (a multilayer perceptron, Rumelhart, Hinton &amp; Williams 1986). Labels take slots in the
 * order they first appear; {@link #LABELS} lists them. A label beyond the last slot is refused with
 * that reason (the slots do not grow, unlike {@code text-classifier}'s: a vector stream's classes
 * are few and known, and {@code maxLabels} is there to raise).
 */
public final class MlpClassifierSpec {
    private MlpClassifierSpec() {}

    /** The most units one hidden layer may have. */
    public static final int MAX_UNITS = 4096;

    public static final Param<Integer> INPUTS =
            Param.intParam(
                    "inputs",
                    "Features per vector; a vector of another length is refused.",
                    2,
                    inRange(1, 65536));
    public static final Param<String> HIDDEN =
            Param.stringParam(
                    "hidden",
                    "Units of each hidden layer, comma-separated, input side first (e.g. 16 or"
                            + " 32,16).",
                    "16",
                    v -> {
                        try {
                            hiddenSizes(v);
                            return null;
                        } catch (IllegalArgumentException e) {
                            return e.getMessage();
                        }
                    });
    public static final Param<String> ACTIVATION =
            Param.stringParam(
                    "activation",
                    "Activation of the hidden layers: 'tanh' or 'relu'.",
                    "tanh",
                    v -> v.equals("tanh") || v.equals("relu") ? null : "must be 'tanh' or 'relu'");
    public static final Param<Integer> MAX_LABELS =
            Param.intParam(
                    "maxLabels",
                    "Output slots: the most labels the model learns.",
                    8,
                    inRange(2, 4096));
    public static final Param<String> LABELS =
            Param.stringParam(
                    "labels",
                    "Labels learned so far, comma-separated, in slot order.",
                    "",
                    v -> {
                        List<String> labels = splitLabels(v);
                        return labels.stream().anyMatch(String::isEmpty)
                                        || labels.stream().distinct().count() != labels.size()
                                ? "must be distinct non-empty labels separated by ','"
                                : null;
                    });
    public static final Param<Double> LEARNING_RATE =
            Param.doubleParam("learningRate", "Adam step size.", 0.01, finiteInLeftOpen(0, 1));
    public static final Param<Integer> BATCH_SIZE =
            Param.intParam(
                    "batchSize",
                    "Examples per mini-batch (one fit per batch).",
                    8,
                    inRange(1, 65536));
    public static final Param<Long> SEED =
            Param.longParam(
                    "seed",
                    "Seed of the weight initialisation.",
                    42L,
                    inRange(Long.MIN_VALUE, Long.MAX_VALUE));

    /** In declaration order. */
    public static final List<Param<?>> PARAMS =
            List.of(
                    INPUTS,
                    HIDDEN,
                    ACTIVATION,
                    MAX_LABELS,
                    LABELS,
                    LEARNING_RATE,
                    BATCH_SIZE,
                    SEED);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(MlpClassifierFamily.INSTANCE);
    }

    /** The hidden layers' sizes of a spec, input side first. */
    public static int[] hiddenSizes(ModelSpec spec) {
        return hiddenSizes(spec.get(HIDDEN));
    }

    private static int[] hiddenSizes(String joined) {
        String[] parts = joined.split(",", -1);
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                sizes[i] = 0;
            }
            if (sizes[i] < 1 || sizes[i] > MAX_UNITS) {
                throw new IllegalArgumentException(
                        "must be one or more layer sizes in [1, "
                                + MAX_UNITS
                                + "] separated by ',', e.g. 16 or 32,16");
            }
        }
        return sizes;
    }

    /** The labels of an mlp-classifier spec, in slot order. */
    public static List<String> labels(ModelSpec spec) {
        return splitLabels(spec.get(LABELS));
    }

    /**
     * The spec with {@code label} given the next free slot.
     *
     * @throws IllegalArgumentException if the label is empty or contains ',', or all slots are
     *     taken
     */
    public static ModelSpec withLabel(ModelSpec spec, String label) {
        List<String> labels = new ArrayList<>(labels(spec));
        if (label.isEmpty() || label.contains(",")) {
            throw new IllegalArgumentException(
                    "label '" + label + "' must be non-empty and must not contain ','");
        }
        if (labels.contains(label)) {
            return spec;
        }
        if (labels.size() >= spec.get(MAX_LABELS)) {
            throw new IllegalArgumentException(
                    "label '"
                            + label
                            + "' does not fit: all "
                            + spec.get(MAX_LABELS)
                            + " slots (maxLabels) are taken by "
                            + labels);
        }
        labels.add(label);
        return spec.with(LABELS, String.join(",", labels));
    }

    private static List<String> splitLabels(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(",", -1));
    }
}
