package dev.streamlearn.trainer.learning;

import java.util.ArrayList;
import java.util.List;

/**
 * One learner's mini-batch bookkeeping, whichever engine does the fitting: examples are buffered
 * until the mini-batch is full (its size may change while learning, the job's {@code
 * AdaptiveBatchSize}), then fitted, or fitted at once by {@link #flush}; examples, fits and
 * reverted fits are counted; the buffer goes into a snapshot and comes back from one.
 *
 * @param <E> the example type
 */
public final class MiniBatches<E> {
    /** Fits one mini-batch: {@link Offer#trained} with its loss, or {@link Offer#reverted}. */
    @FunctionalInterface
    public interface Fit<E> {
        Offer fit(List<E> batch);
    }

    private final Fit<E> fit;
    private final List<E> pending = new ArrayList<>();
    private int size;
    private long examplesSeen;
    private long fits;
    private long reverts;

    /**
     * @param size the mini-batch size to start with
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public MiniBatches(int size, Fit<E> fit) {
        this.fit = fit;
        resize(size);
    }

    /** Buffers a validated example; fits the mini-batch once it is full. */
    public Offer add(E example) {
        pending.add(example);
        examplesSeen++;
        return pending.size() < size ? Offer.BUFFERED : flush();
    }

    /**
     * Fits every buffered example now as one mini-batch, however few; {@link Offer#BUFFERED} and
     * nothing done if there are none.
     */
    public Offer flush() {
        if (pending.isEmpty()) {
            return Offer.BUFFERED;
        }
        Offer offer = fit.fit(pending);
        pending.clear();
        fits++;
        if (offer.status() == Offer.Status.REVERTED) {
            reverts++;
        }
        return offer;
    }

    /**
     * Sets the size of the mini-batches fitted from now on; buffered examples stay.
     *
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("mini-batch size = " + size + ", expected >= 1");
        }
        this.size = size;
    }

    public long examplesSeen() {
        return examplesSeen;
    }

    /** Mini-batches fitted, including reverted ones. */
    public long fits() {
        return fits;
    }

    /** Mini-batches not applied because their fit went non-finite. */
    public long reverts() {
        return reverts;
    }

    public int buffered() {
        return pending.size();
    }

    /** The buffered examples, for a snapshot. */
    public List<E> snapshot() {
        return List.copyOf(pending);
    }

    /** Takes back the buffer and example count a snapshot saved (fit counts start again). */
    @SuppressWarnings("unchecked")
    public void restore(List<?> buffered, long examplesSeen) {
        pending.clear();
        for (Object e : buffered) {
            pending.add((E) e);
        }
        this.examplesSeen = examplesSeen;
    }
}
