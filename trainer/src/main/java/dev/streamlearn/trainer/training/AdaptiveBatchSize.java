package dev.streamlearn.trainer.training;

import java.time.Duration;

/**
 * The mini-batch size of one model's learner, following the trainer's lag: doubled after each fit
 * whose newest example waited longer than the target lag (the learner has fallen behind its input),
 * never beyond the cap, and back to the spec's size as soon as an example arrives with a lag under
 * a quarter of the target (caught up). The band between a quarter and the whole target keeps the
 * size from flapping with every example. Going back at once rather than step by step matters on a
 * slow stream: a mini-batch of 256 left in place after catching up would take 256 events to fill,
 * and the model would learn nothing until then.
 *
 * <p>Why larger mini-batches help a learner catch up: a fit has a cost per mini-batch (the
 * optimizer's step over the dense layers, the kernel's refresh, and for DL4J a native call per
 * layer) besides its cost per example, and a larger mini-batch pays the first less often. How much
 * that buys differs by engine and family (BENCHMARKS.md "Adaptive mini-batches"). While the size is
 * above the spec's, the learner takes larger, fewer optimizer steps: each is an average over more
 * examples, so the model trades some online quality for keeping up.
 *
 * <p>Not part of the checkpoint: after a restore the size starts again at the spec's and follows
 * the lag from there.
 */
public final class AdaptiveBatchSize {
    private final int configured;
    private final int cap;
    private final long targetLagMillis;
    private int size;

    /**
     * @param configured the spec's mini-batch size, used while the trainer keeps up
     * @param cap the largest size; a cap at or below {@code configured} keeps the size fixed
     * @param targetLag the lag above which the size grows
     */
    public AdaptiveBatchSize(int configured, int cap, Duration targetLag) {
        if (configured < 1) {
            throw new IllegalArgumentException(
                    "mini-batch size = " + configured + ", expected >= 1");
        }
        this.configured = configured;
        this.cap = Math.max(cap, configured);
        this.targetLagMillis = targetLag.toMillis();
        this.size = configured;
    }

    /** The size the next mini-batch should have. */
    public int size() {
        return size;
    }

    /**
     * Takes the lag of an example about to be offered (now minus its append time) and returns the
     * size its mini-batch should have: the spec's once caught up. Examples already buffered beyond
     * that size are then fitted together with this one.
     */
    public int beforeExample(long lagMillis) {
        return lagMillis < targetLagMillis / 4 ? reset() : size;
    }

    /** Back to the spec's size: the trainer has caught up, or its stream has slowed down. */
    public int reset() {
        size = configured;
        return size;
    }

    /** The spec's size. */
    public int configured() {
        return configured;
    }

    /**
     * Takes the lag measured at a fit (now minus the append time of the newest example in it) and
     * returns the size for the next mini-batch.
     */
    public int afterFit(long lagMillis) {
        if (lagMillis > targetLagMillis) {
            size = (int) Math.min(cap, 2L * size);
        }
        return size;
    }
}
