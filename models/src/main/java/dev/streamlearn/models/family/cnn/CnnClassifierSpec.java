package dev.streamlearn.models.family.cnn;

import static dev.streamlearn.models.spec.ParamValidators.inRange;

import dev.streamlearn.models.spec.CountList;
import dev.streamlearn.models.spec.LabelSlots;
import dev.streamlearn.models.spec.LearningParams;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
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

    private static final CountList FILTER_COUNTS =
            new CountList("filter counts", MAX_FILTERS, "32,64");
    private static final LabelSlots SLOTS = LabelSlots.of(10);

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
                    FILTER_COUNTS.validator());
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
    public static final Param<Integer> MAX_LABELS = SLOTS.maxLabels();
    public static final Param<String> LABELS = SLOTS.labels();
    public static final Param<Double> LEARNING_RATE =
            LearningParams.learningRate("Adam step size.", 0.001);
    public static final Param<Integer> BATCH_SIZE = LearningParams.batchSize();
    public static final Param<Long> SEED = LearningParams.seed();

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
        return FILTER_COUNTS.parse(spec.get(FILTERS));
    }

    /** The labels of a cnn-classifier spec, in slot order. */
    public static List<String> labels(ModelSpec spec) {
        return SLOTS.labels(spec);
    }

    /**
     * The spec with {@code label} given the next free slot.
     *
     * @throws IllegalArgumentException if the label is empty or contains ',', or all slots are
     *     taken
     */
    public static ModelSpec withLabel(ModelSpec spec, String label) {
        return SLOTS.withLabel(spec, label);
    }
}
