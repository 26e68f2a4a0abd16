package dev.streamlearn.models.family.lstm;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;

import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import java.util.List;

/**
 * Hyper-parameters of {@code lstm-forecaster}: a one-layer LSTM (Hochreiter &amp; Schmidhuber 1997)
 * over the last {@link #WINDOW} points of a series, normalised per window, whose last hidden state
 * feeds a linear unit predicting the change to the next point.
 */
public final class LstmForecasterSpec {
    private LstmForecasterSpec() {}

    public static final Param<Integer> WINDOW =
            Param.intParam(
                    "window",
                    "Points of history per forecast (LSTM time steps).",
                    32,
                    inRange(2, 1024));
    public static final Param<Integer> HIDDEN_SIZE =
            Param.intParam("hiddenSize", "LSTM units.", 32, inRange(1, 1024));
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
    public static final Param<Double> RELATIVE_SCALE_FLOOR =
            Param.doubleParam(
                    "relativeScaleFloor",
                    "Lowest window scale, as a fraction of max(|window mean|, 1): keeps flat windows"
                            + " from turning tiny steps into huge normalised changes.",
                    1e-3,
                    finiteInLeftOpen(0, 1));
    public static final Param<Double> TARGET_CLIP =
            Param.doubleParam(
                    "targetClip",
                    "Training targets (change to the next point, in window scales) are clipped to"
                            + " +-this, so a single jump cannot dominate a mini-batch.",
                    10.0,
                    finiteInLeftOpen(0, 1e6));
    public static final Param<Double> MAX_ABS_VALUE =
            Param.doubleParam(
                    "maxAbsValue",
                    "Largest |value| accepted for training; larger values are rejected.",
                    1e12,
                    finiteInLeftOpen(0, 1e300));
    public static final Param<Integer> ANOMALY_HALF_LIFE =
            Param.intParam(
                    "anomalyHalfLife",
                    "Points after which an old error weighs half in the anomaly score's scale (a"
                            + " slow scale, so runs of anomalies do not hide themselves).",
                    1000,
                    inRange(1, 100_000_000));
    public static final Param<Double> ANOMALY_CLIP =
            Param.doubleParam(
                    "anomalyClip",
                    "Errors enter the anomaly scale clipped at this multiple of the current scale"
                            + " (robustness against outliers).",
                    3.0,
                    finiteInLeftOpen(0, 1e6));

    public static final Param<String> ENGINE =
            Engine.param(
                    "plain Java, backpropagation through time on the scoring"
                            + " kernel's weights");

    /** In declaration order. */
    public static final List<Param<?>> PARAMS =
            List.of(
                    WINDOW,
                    HIDDEN_SIZE,
                    LEARNING_RATE,
                    BATCH_SIZE,
                    SEED,
                    RELATIVE_SCALE_FLOOR,
                    TARGET_CLIP,
                    MAX_ABS_VALUE,
                    ANOMALY_HALF_LIFE,
                    ANOMALY_CLIP,
                    ENGINE);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(LstmForecasterFamily.INSTANCE);
    }
}
