package dev.streamlearn.models.family.cnn;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;

import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hyper-parameters of {@code cnn-classifier}: an image of {@link #WIDTH} × {@link #HEIGHT} pixels
 * of {@link #CHANNELS} values, scaled to [0, 1] → per entry of {@link #FILTERS} a convolution of
 * that many {@link #KERNEL} × {@link #KERNEL} filters (stride 1, no padding) with ReLU, then max
 * pooling of {@link #POOL} × {@link #POOL} (stride {@link #POOL}) → a dense layer of {@link #DENSE}
 * ReLU units → softmax over {@link #MAX_LABELS} slots (LeCun et al. 1998). The defaults are the
 * convolutional network of the survey's MNIST example: Conv2D 32 3×3 ReLU → max-pool 2 → Conv2D 64
 * 3×3 ReLU → max-pool 2 → dense 128 ReLU → softmax 10, Adam, sparse categorical cross-entropy.
 * Labels take slots in the order they first appear, as {@code mlp-classifier}'s do; a label beyond
 * the last slot is refused with that reason.
 */
public final class CnnClassifierSpec {
    private CnnClassifierSpec() {}

    /** The most filters one convolution may have. */
    public static final int MAX_FILTERS = 1024;

    public static final Param<Integer> WIDTH =
            Param.intParam(
                    "width",
                    "Pixels per image row; an image of another size is refused.",
                    28,
                    inRange(1, 4096));
    public static final Param<Integer> HEIGHT =
            Param.intParam(
                    "height",
                    "Rows per image; an image of another size is refused.",
                    28,
                    inRange(1, 4096));
    public static final Param<Integer> CHANNELS =
            Param.intParam(
                    "channels",
                    "Values per pixel (1 greyscale, 3 RGB); an image of another count is refused.",
                    1,
                    inRange(1, 16));
    public static final Param<String> FILTERS =
            Param.stringParam(
                    "filters",
                    "Filters of each convolution, comma-separated, input side first (e.g. 32,64);"
                            + " each is followed by ReLU and max pooling.",
                    "32,64",
                    v -> {
                        try {
                            filters(v);
                            return null;
                        } catch (IllegalArgumentException e) {
                            return e.getMessage();
                        }
                    });
    public static final Param<Integer> KERNEL =
            Param.intParam(
                    "kernel", "Side of every convolution's square filters.", 3, inRange(1, 15));
    public static final Param<Integer> POOL =
            Param.intParam(
                    "pool",
                    "Side and stride of the max pooling after every convolution (1 = none).",
                    2,
                    inRange(1, 8));
    public static final Param<Integer> DENSE =
            Param.intParam(
                    "dense",
                    "ReLU units of the dense layer before the softmax.",
                    128,
                    inRange(1, 4096));
    public static final Param<Integer> MAX_LABELS =
            Param.intParam(
                    "maxLabels",
                    "Output slots: the most labels the model learns.",
                    10,
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
            Param.doubleParam("learningRate", "Adam step size.", 0.001, finiteInLeftOpen(0, 1));
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
                    WIDTH,
                    HEIGHT,
                    CHANNELS,
                    FILTERS,
                    KERNEL,
                    POOL,
                    DENSE,
                    MAX_LABELS,
                    LABELS,
                    LEARNING_RATE,
                    BATCH_SIZE,
                    SEED);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(CnnClassifierFamily.INSTANCE);
    }

    /** The convolutions' filter counts of a spec, input side first. */
    public static int[] filters(ModelSpec spec) {
        return filters(spec.get(FILTERS));
    }

    private static int[] filters(String joined) {
        String[] parts = joined.split(",", -1);
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                sizes[i] = 0;
            }
            if (sizes[i] < 1 || sizes[i] > MAX_FILTERS) {
                throw new IllegalArgumentException(
                        "must be one or more filter counts in [1, "
                                + MAX_FILTERS
                                + "] separated by ',', e.g. 32,64");
            }
        }
        return sizes;
    }

    /** The labels of a cnn-classifier spec, in slot order. */
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
