package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.forecast.OnlineAutoRegression;
import dev.streamlearn.models.spec.ModelSpec;

/**
 * How {@link SeriesEvaluation} sets up the baselines it scores beside the model.
 *
 * @param season the seasonal naive baseline's season, or 0 to detect it per series
 * @param arOrder p of the AR baseline
 * @param arForgetting λ of the AR baseline's recursive least squares, in (0, 1]
 */
public record SeriesBaselineOptions(int season, int arOrder, double arForgetting) {

    public SeriesBaselineOptions {
        if (season < 0) {
            throw new IllegalArgumentException(
                    "season is " + season + ", expected >= 1, or 0 to detect it");
        }
        if (arOrder < 1) {
            throw new IllegalArgumentException("AR order is " + arOrder + ", expected >= 1");
        }
        if (!(arForgetting > 0 && arForgetting <= 1)) {
            throw new IllegalArgumentException(
                    "AR forgetting factor is " + arForgetting + ", expected in (0, 1]");
        }
    }

    /** Season detected, AR order = the spec's window (the model's own look-back), λ = 1. */
    public static SeriesBaselineOptions defaults(ModelSpec spec) {
        return new SeriesBaselineOptions(
                0, spec.get(LstmForecasterSpec.WINDOW), OnlineAutoRegression.DEFAULT_FORGETTING);
    }
}
