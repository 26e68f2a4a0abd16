package dev.streamlearn.models.family.mlp;

import static dev.streamlearn.models.spec.ParamValidators.inRange;

import dev.streamlearn.models.spec.CountList;
import dev.streamlearn.models.spec.LabelSlots;
import dev.streamlearn.models.spec.LearningParams;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
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

    private static final CountList LAYER_SIZES =
            new CountList("layer sizes", MAX_UNITS, "16 or 32,16");
    private static final LabelSlots SLOTS = LabelSlots.of(8);

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
                    LAYER_SIZES.validator());
    public static final Param<String> ACTIVATION =
            Param.stringParam(
                    "activation",
                    "Activation of the hidden layers: 'tanh' or 'relu'.",
                    "tanh",
                    v -> v.equals("tanh") || v.equals("relu") ? null : "must be 'tanh' or 'relu'");
    public static final Param<Integer> MAX_LABELS = SLOTS.maxLabels();
    public static final Param<String> LABELS = SLOTS.labels();
    public static final Param<Double> LEARNING_RATE =
            LearningParams.learningRate("Adam step size.", 0.01);
    public static final Param<Integer> BATCH_SIZE = LearningParams.batchSize();
    public static final Param<Long> SEED = LearningParams.seed();

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
        return LAYER_SIZES.parse(spec.get(HIDDEN));
    }

    /** The labels of an mlp-classifier spec, in slot order. */
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
