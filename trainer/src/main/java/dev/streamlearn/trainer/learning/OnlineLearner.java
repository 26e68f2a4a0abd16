package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Online mini-batch learning with DL4J: examples are buffered until a mini-batch is full, then
 * fitted once (one optimizer step). After every fit the score and parameters are checked; a
 * non-finite one restores the last good state instead of going on, because one NaN silently turns
 * every parameter into NaN. {@link #snapshot()} / restore continue bitwise-identically.
 *
 * @param <E> the example type
 */
public abstract class OnlineLearner<E extends Serializable> {
    protected ModelSpec spec;
    private MultiLayerNetwork net;
    private final MiniBatches<E> batches;
    private INDArray goodParams;
    private INDArray goodUpdaterState;
    private int goodIteration;
    private int goodEpoch;

    /**
     * @param network the family's DL4J network for {@code spec} ({@code TrainingFamily.network})
     */
    protected OnlineLearner(ModelSpec spec, int batchSize, MultiLayerConfiguration network) {
        this.spec = spec;
        this.batches = new MiniBatches<>(batchSize, this::fit);
        this.net = new MultiLayerNetwork(network);
        net.init();
        rememberGoodState();
    }

    /** Builds the fit input for a full mini-batch. */
    protected abstract DataSet batch(List<E> examples);

    /** Adds a validated example; fits when the mini-batch is full. */
    protected final Offer accept(E example) {
        return batches.add(example);
    }

    /**
     * Fits every buffered example now as one mini-batch, however few; {@link Offer#BUFFERED} and
     * nothing done if there are none.
     */
    protected final Offer fitPending() {
        return batches.flush();
    }

    private Offer fit(List<E> examples) {
        net.fit(batch(examples));
        double score = net.score();
        if (!Double.isFinite(score) || !Double.isFinite(net.params().sumNumber().doubleValue())) {
            restoreGoodState();
            return Offer.reverted(score);
        }
        rememberGoodState();
        return Offer.trained(score);
    }

    /** Sets the size of the mini-batches fitted from now on; buffered examples stay. */
    public void batchSize(int size) {
        batches.resize(size);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The current weights, for the kernels and for publishing. */
    public ModelWeights weights() {
        return Dl4jWeights.export(spec, net);
    }

    public long examplesSeen() {
        return batches.examplesSeen();
    }

    /**
     * Replaces the initial parameters with {@code weights} (the optimizer state stays fresh): how a
     * model with no saved learner continues from the weights it last published.
     *
     * @throws IllegalArgumentException if the weights were made for another spec
     */
    public void startFrom(ModelWeights weights) {
        if (!weights.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "weights for " + weights.spec() + " cannot start a learner of " + spec);
        }
        Dl4jWeights.load(weights, net);
        rememberGoodState();
    }

    public long fits() {
        return batches.fits();
    }

    /** Mini-batches undone because their fit went non-finite. */
    public long reverts() {
        return batches.reverts();
    }

    public int pendingExamples() {
        return batches.buffered();
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public LearnerSnapshot snapshot() {
        INDArray state = net.getUpdater().getStateViewArray();
        return new LearnerSnapshot(
                spec.kind().id(),
                spec.toMap(),
                net.params().dup().data().asFloat(),
                state == null ? new float[0] : state.dup().data().asFloat(),
                net.getIterationCount(),
                net.getEpochCount(),
                batches.snapshot(),
                batches.examplesSeen());
    }

    /**
     * Continues on a network of another shape: {@code network}, built for {@code weights}' spec,
     * holding {@code weights} (a model grown from this one's). The optimizer starts afresh on it
     * (moments zero, iteration 0, so Adam's bias correction fits the fresh moments); buffered
     * examples and counters stay.
     */
    protected final void reshape(ModelWeights weights, MultiLayerConfiguration network) {
        MultiLayerNetwork reshaped = new MultiLayerNetwork(network);
        reshaped.init();
        Dl4jWeights.load(weights, reshaped);
        net = reshaped;
        spec = weights.spec();
        rememberGoodState();
    }

    /** Puts this learner (built for the snapshot's kind) into the snapshot's state. */
    protected final void restoreFrom(LearnerSnapshot snapshot) {
        ModelSpec restored =
                ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec());
        if (restored.kind() != spec.kind()) {
            throw new IllegalArgumentException(
                    "snapshot of "
                            + snapshot.kind()
                            + " cannot restore a "
                            + spec.kind().id()
                            + " learner");
        }
        this.spec = restored;
        net.setParams(
                Nd4j.create(snapshot.params(), new long[] {1, snapshot.params().length}, 'c'));
        if (snapshot.updaterState().length > 0) {
            INDArray state =
                    Nd4j.create(
                                    snapshot.updaterState(),
                                    new long[] {1, snapshot.updaterState().length},
                                    'c')
                            .castTo(DataType.FLOAT);
            net.getUpdater().setStateViewArray(net, state, false);
        }
        net.setIterationCount(snapshot.iterationCount());
        net.setEpochCount(snapshot.epochCount());
        batches.restore(snapshot.pending(), snapshot.examplesSeen());
        rememberGoodState();
    }

    private void rememberGoodState() {
        goodParams = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray();
        goodUpdaterState = state == null ? null : state.dup();
        goodIteration = net.getIterationCount();
        goodEpoch = net.getEpochCount();
    }

    private void restoreGoodState() {
        net.params().assign(goodParams);
        if (goodUpdaterState != null) {
            net.getUpdater().getStateViewArray().assign(goodUpdaterState);
        }
        net.setIterationCount(goodIteration);
        net.setEpochCount(goodEpoch);
    }
}
