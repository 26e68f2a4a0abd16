package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.lstm.LinearPart;
import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.LearningRates;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.OnlineLearner;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@code lstm-forecaster} online on (window, next value) pairs with Deeplearning4j ({@code
 * engine=dl4j}), the family's reference learner; examples as {@link SeriesExamples} makes them.
 * DL4J holds the LSTM alone; a linear part ({@code structure=linear+lstm}) is fitted beside it in
 * plain Java ({@link LinearPartLearner}), as by the fast engine, and the network learns its
 * residual.
 */
public final class ForecasterLearner extends OnlineLearner<SeriesExample> implements SeriesLearner {
    private final ModelSpec fullSpec;
    private final int window;
    private final int lstmSize;
    private final SeriesExamples examples;
    private final LinearPartLearner linear;
    private LstmForecasterModel model;

    public ForecasterLearner(ModelSpec spec) {
        super(
                LstmForecasterTraining.lstmOnly(requireKind(spec)),
                spec.get(LstmForecasterSpec.BATCH_SIZE),
                LstmForecasterTraining.INSTANCE.network(spec));
        this.fullSpec = spec;
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.lstmSize = ParameterLayout.of(LstmForecasterTraining.lstmOnly(spec)).size();
        this.examples = new SeriesExamples(spec);
        this.linear = LstmForecasterSpec.hasLinearPart(spec) ? new LinearPartLearner(spec) : null;
    }

    /** Every layer DL4J trains; the linear part's least squares are not scaled. */
    @Override
    public void scaleLearningRate(double factor) {
        network()
                .setLearningRate(
                        fullSpec.get(LstmForecasterSpec.LEARNING_RATE)
                                * LearningRates.checkedFactor(factor));
    }

    /**
     * Continues a snapshot taken by {@link #snapshot()}: DL4J's parameters and updater state, then
     * (with a linear part) its state at the end of the updater state.
     */
    public static ForecasterLearner restore(LearnerSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        ForecasterLearner learner = new ForecasterLearner(spec);
        float[] state = snapshot.updaterState();
        int linearState = learner.linear == null ? 0 : LinearPartLearner.stateSize(spec);
        if (state.length < linearState) {
            throw new IllegalArgumentException(
                    "snapshot of "
                            + state.length
                            + " optimizer values cannot hold the linear part of "
                            + spec
                            + " (engine=dl4j): expected at least "
                            + linearState);
        }
        int dl4jState = state.length - linearState;
        learner.restoreFrom(
                new LearnerSnapshot(
                        snapshot.kind(),
                        LstmForecasterTraining.lstmOnly(spec).toMap(),
                        snapshot.params(),
                        Arrays.copyOf(state, dl4jState),
                        snapshot.iterationCount(),
                        snapshot.epochCount(),
                        snapshot.pending(),
                        snapshot.examplesSeen()));
        if (learner.linear != null) {
            learner.linear.restore(state, dl4jState);
        }
        return learner;
    }

    @Override
    public Offer offer(NormalisedWindow window, double next) {
        Offer refused = examples.refusal(window, next);
        if (refused != null) {
            return refused;
        }
        if (linear == null) {
            return forgetModelIfTrained(accept(examples.example(window, next)));
        }
        LstmForecasterModel current = model();
        LinearPart part = current.linearPart();
        SeriesExample residual = examples.residualExample(window, next, part.predict(window));
        linear.learn(part, window, examples.target(window, next));
        linear.writeInto(current.weights().params());
        return forgetModelIfTrained(accept(residual));
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

    @Override
    public ModelSpec spec() {
        return fullSpec;
    }

    /** DL4J's LSTM, then the linear part's weights. */
    @Override
    public ModelWeights weights() {
        float[] params =
                Arrays.copyOf(super.weights().params(), ParameterLayout.of(fullSpec).size());
        if (linear != null) {
            linear.writeInto(params);
        }
        return new ModelWeights(fullSpec, params);
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
    public LearnerSnapshot snapshot() {
        LearnerSnapshot dl4j = super.snapshot();
        float[] linearState = linear == null ? new float[0] : linear.state();
        float[] state =
                Arrays.copyOf(dl4j.updaterState(), dl4j.updaterState().length + linearState.length);
        System.arraycopy(linearState, 0, state, dl4j.updaterState().length, linearState.length);
        return new LearnerSnapshot(
                dl4j.kind(),
                fullSpec.toMap(),
                dl4j.params(),
                state,
                dl4j.iterationCount(),
                dl4j.epochCount(),
                dl4j.pending(),
                dl4j.examplesSeen());
    }

    @Override
    public void startFrom(ModelWeights weights) {
        if (!weights.spec().equals(fullSpec)) {
            throw new IllegalArgumentException(
                    "weights for " + weights.spec() + " cannot start a learner of " + fullSpec);
        }
        super.startFrom(
                new ModelWeights(
                        LstmForecasterTraining.lstmOnly(fullSpec),
                        Arrays.copyOf(weights.params(), lstmSize)));
        if (linear != null) {
            linear.readFrom(weights.params());
        }
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
