package dev.streamlearn.trainer.learning;

import java.io.Serializable;
import java.util.List;

/**
 * A learner that fits its examples in mini-batches ({@link MiniBatches}): what {@link Learner} asks
 * about counts and batching, answered by the batches, so that a learner writes only how it fits
 * one.
 *
 * @param <E> a pending example, as a checkpoint holds it
 */
public abstract class BatchedLearner<E extends Serializable> implements Learner {
    protected final MiniBatches<E> batches;

    /** Batches of {@code size} examples, each fitted by {@link #fitBatch} when it is full. */
    protected BatchedLearner(int size) {
        this.batches = new MiniBatches<>(size, this::fitBatch);
    }

    /** Fits one mini-batch, or leaves the model as it was ({@link Offer.Status#REVERTED}). */
    protected abstract Offer fitBatch(List<E> batch);

    @Override
    public final long examplesSeen() {
        return batches.examplesSeen();
    }

    @Override
    public final long fits() {
        return batches.fits();
    }

    @Override
    public final long reverts() {
        return batches.reverts();
    }

    @Override
    public final int pendingExamples() {
        return batches.buffered();
    }

    @Override
    public final void batchSize(int size) {
        batches.resize(size);
    }

    @Override
    public final Offer flush() {
        return batches.flush();
    }
}
