package dev.streamlearn.scorer.scoring;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one scorer instance, shared by its processors (which run on several threads) and read
 * by whoever exports them (the CLI status line, Prometheus, the dashboard).
 */
public final class ScorerMetrics {
    public final LongAdder textScored = new LongAdder();
    public final LongAdder seriesScored = new LongAdder();
    public final LongAdder vectorScored = new LongAdder();
    public final LongAdder imageScored = new LongAdder();

    /**
     * Of the series points scored against a forecast, those each of the forecaster's experts
     * forecast, indexed as {@code ForecastExperts}: the whole model, its linear part, persistence.
     */
    private final LongAdder[] seriesByExpert = {new LongAdder(), new LongAdder(), new LongAdder()};

    public final LongAdder deadLettered = new LongAdder();
    public final LongAdder versionsAccepted = new LongAdder();
    public final LongAdder versionsRejected = new LongAdder();

    /**
     * Of the rejected versions, those refused for their signature: unsigned, unknown key, forged.
     */
    public final LongAdder versionsUntrusted = new LongAdder();

    /** Labelled events the promotion gates of this instance's tasks scored in shadow. */
    public final LongAdder gateEvents = new LongAdder();

    /** The gate decisions this instance's tasks made, by kind. */
    public final LongAdder gatePromoted = new LongAdder();

    public final LongAdder gateRejected = new LongAdder();
    public final LongAdder gateSuperseded = new LongAdder();
    public final LongAdder gateRolledBack = new LongAdder();

    /** Events waiting for a first model, over all tasks of this instance. */
    public final AtomicLong pending = new AtomicLong();

    /** The count of series points forecast by {@code expert} (a {@code ForecastExperts} index). */
    public LongAdder seriesScoredBy(int expert) {
        return seriesByExpert[expert];
    }
}
