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
 * feeds a linear unit predicting the change to the next point. With {@link #STRUCTURE} {@code
 * linear+lstm} (the default) a linear part over the same window and the seasonal lags of {@link
 * #SEASONS}, fitted by recursive least squares, predicts that change and the LSTM learns what it
 * leaves (docs/ARCHITECTURE.md, "The forecaster's structure").
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
            Param.doubleParam(
                    "learningRate",
                    "Adam step size (of the LSTM; the linear part is fitted in closed form).",
                    0.003,
                    finiteInLeftOpen(0, 1));
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
                            + " (robustness against outliers: the lower, the less a run of"
                            + " anomalies raises the scale that measures it; above 1, or the scale"
                            + " shrinks towards 0).",
                    1.25,
                    finiteInLeftOpen(0, 1e6));

    /** The structure of every model before the linear part existed. */
    public static final String LSTM_ONLY = "lstm";

    /**
     * A linear part (window and seasonal lags, recursive least squares), the LSTM on its residual.
     */
    public static final String LINEAR_AND_LSTM = "linear+lstm";

    public static final Param<String> STRUCTURE =
            Param.stringParam(
                    "structure",
                    "'"
                            + LINEAR_AND_LSTM
                            + "': a linear part over the window and the seasonal lags, fitted by"
                            + " recursive least squares, with the LSTM learning its residual; '"
                            + LSTM_ONLY
                            + "': the LSTM alone (every model before the linear part existed).",
                    LINEAR_AND_LSTM,
                    v ->
                            v.equals(LINEAR_AND_LSTM) || v.equals(LSTM_ONLY)
                                    ? null
                                    : "must be '" + LINEAR_AND_LSTM + "' or '" + LSTM_ONLY + "'");

    /** The longest seasonal lag: each series' state keeps this many points and one more. */
    public static final int MAX_SEASON = 4096;

    public static final Param<String> SEASONS =
            Param.stringParam(
                    "seasons",
                    "Seasons in points whose lags feed the linear part, comma-separated (e.g."
                            + " '364,365' for daily data, '48,336' for half-hourly), or 'none'. For"
                            + " each season s the linear part reads the points s and s + 1 before"
                            + " the one forecast, so a series' state keeps max(window, s + 1)"
                            + " points.",
                    "none",
                    LstmForecasterSpec::checkSeasons);

    public static final Param<Double> LINEAR_PRIOR =
            Param.doubleParam(
                    "linearPrior",
                    "Precision of the linear part's prior (every weight 0: persistence), in"
                            + " squared errors of the window's scale: how many examples' worth the"
                            + " start weighs.",
                    10.0,
                    finiteInLeftOpen(0, 1e12));

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
                    ENGINE,
                    STRUCTURE,
                    SEASONS,
                    LINEAR_PRIOR);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(LstmForecasterFamily.INSTANCE);
    }

    /** Whether {@code spec} has the linear part. */
    public static boolean hasLinearPart(ModelSpec spec) {
        return LINEAR_AND_LSTM.equals(spec.get(STRUCTURE));
    }

    /** The seasons of {@code spec}, in the order given; empty for 'none'. */
    public static int[] seasons(ModelSpec spec) {
        return parseSeasons(spec.get(SEASONS));
    }

    /** The linear part's inputs (without its bias): the window, then two per season. */
    public static int linearInputs(ModelSpec spec) {
        return spec.get(WINDOW) + 2 * seasons(spec).length;
    }

    /** How many of a series' last points a forecast reads: max(window, longest season + 1). */
    public static int history(ModelSpec spec) {
        int h = spec.get(WINDOW);
        if (hasLinearPart(spec)) {
            for (int s : seasons(spec)) {
                h = Math.max(h, s + 1);
            }
        }
        return h;
    }

    private static int[] parseSeasons(String text) {
        if (text.equals("none")) {
            return new int[0];
        }
        String[] parts = text.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    private static String checkSeasons(String text) {
        String expected =
                "must be 'none' or seasons in points, comma-separated, each in [2, "
                        + MAX_SEASON
                        + "], e.g. '364,365'";
        int[] seasons;
        try {
            seasons = parseSeasons(text);
        } catch (NumberFormatException e) {
            return expected;
        }
        if (seasons.length > 16) {
            return "names " + seasons.length + " seasons, at most 16";
        }
        for (int s : seasons) {
            if (s < 2 || s > MAX_SEASON) {
                return expected;
            }
        }
        return null;
    }
}
