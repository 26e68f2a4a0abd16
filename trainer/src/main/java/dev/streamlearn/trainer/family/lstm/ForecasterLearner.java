package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.OnlineLearner;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@code lstm-forecaster} online on (window, next value) pairs, as {@code
 * models.family.lstm.SeriesTracker} yields them. Refuses a non-finite next value, one beyond {@code
 * maxAbsValue}, or a window whose length is not the spec's.
 */
public final class ForecasterLearner extends OnlineLearner<SeriesExample> {
    private final int window;
    private final double maxAbsValue;
    private final float targetClip;

    public ForecasterLearner(ModelSpec spec) {
        super(
                requireKind(spec),
                spec.get(LstmForecasterSpec.BATCH_SIZE),
                LstmForecasterTraining.INSTANCE.network(spec));
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.maxAbsValue = spec.get(LstmForecasterSpec.MAX_ABS_VALUE);
        this.targetClip = spec.get(LstmForecasterSpec.TARGET_CLIP).floatValue();
    }

    public static ForecasterLearner restore(LearnerSnapshot snapshot) {
        ForecasterLearner learner =
                new ForecasterLearner(
                        ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec()));
        learner.restoreFrom(snapshot);
        return learner;
    }

    /** Learns that {@code next} followed {@code window}. */
    public Offer offer(NormalisedWindow window, double next) {
        if (!Double.isFinite(next)) {
            return Offer.rejected("value is " + next + ", expected a finite number");
        }
        if (Math.abs(next) > maxAbsValue) {
            return Offer.rejected("|value| " + next + " exceeds maxAbsValue " + maxAbsValue);
        }
        if (window.inputs().length != this.window) {
            return Offer.rejected(
                    "window has "
                            + window.inputs().length
                            + " points, the spec says "
                            + this.window);
        }
        for (float x : window.inputs()) {
            if (!Float.isFinite(x)) {
                return Offer.rejected("window holds " + x + ", expected finite numbers");
            }
        }
        double target = window.target(next);
        if (!Double.isFinite(target)) {
            return Offer.rejected("change " + target + " to the next value is not finite");
        }
        float clipped = (float) Math.max(-targetClip, Math.min(targetClip, target));
        return accept(new SeriesExample(window.inputs().clone(), clipped));
    }

    @Override
    protected DataSet batch(List<SeriesExample> examples) {
        int n = examples.size();
        float[] features = new float[n * window];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(examples.get(i).inputs(), 0, features, i * window, window);
            labels[i] = examples.get(i).target();
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, 1, window}, 'c'),
                Nd4j.create(labels, new long[] {n, 1}, 'c'));
    }

    private static ModelSpec requireKind(ModelSpec spec) {
        if (spec.kind() != LstmForecasterFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected an lstm-forecaster spec, got " + spec.kind().id());
        }
        return spec;
    }
}
