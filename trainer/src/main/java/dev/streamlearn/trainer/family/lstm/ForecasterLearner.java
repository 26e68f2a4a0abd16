package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.OnlineLearner;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@code lstm-forecaster} online on (window, next value) pairs with Deeplearning4j ({@code
 * engine=dl4j}), the family's reference learner; examples as {@link SeriesExamples} makes them.
 */
public final class ForecasterLearner extends OnlineLearner<SeriesExample> implements SeriesLearner {
    private final int window;
    private final SeriesExamples examples;
    private LstmForecasterModel model;

    public ForecasterLearner(ModelSpec spec) {
        super(
                requireKind(spec),
                spec.get(LstmForecasterSpec.BATCH_SIZE),
                LstmForecasterTraining.INSTANCE.network(spec));
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.examples = new SeriesExamples(spec);
    }

    public static ForecasterLearner restore(LearnerSnapshot snapshot) {
        ForecasterLearner learner =
                new ForecasterLearner(
                        ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec()));
        learner.restoreFrom(snapshot);
        return learner;
    }

    @Override
    public Offer offer(NormalisedWindow window, double next) {
        Offer refused = examples.refusal(window, next);
        if (refused != null) {
            return refused;
        }
        return forgetModelIfTrained(accept(examples.example(window, next)));
    }

    @Override
    public Offer flush() {
        return forgetModelIfTrained(fitPending());
    }

    private Offer forgetModelIfTrained(Offer offer) {
        if (offer.status() == Offer.Status.TRAINED) {
            model = null;
        }
        return offer;
    }

    /** Exported from the network when it has changed since the last call. */
    @Override
    public LstmForecasterModel model() {
        if (model == null) {
            model = new LstmForecasterModel(weights());
        }
        return model;
    }

    @Override
    public void startFrom(ModelWeights weights) {
        super.startFrom(weights);
        model = null;
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
