package dev.streamlearn.ops.metrics;

import dev.streamlearn.models.family.lstm.ForecastExperts;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * A scorer instance's {@link ScorerMetrics} as Micrometer meters, read at scrape time (the scorer
 * keeps counting in its own LongAdders; nothing is copied on the hot path). Names are in
 * ops/METRICS.md.
 */
public final class ScorerMeters {
    private ScorerMeters() {}

    public static void bind(MeterRegistry registry, ScorerMetrics metrics) {
        counter(
                registry,
                "streamlearn.scorer.text.scored",
                "Text events scored",
                metrics.textScored);
        counter(
                registry,
                "streamlearn.scorer.series.scored",
                "Series points scored",
                metrics.seriesScored);
        counter(
                registry,
                "streamlearn.scorer.vector.scored",
                "Vector events scored",
                metrics.vectorScored);
        counter(
                registry,
                "streamlearn.scorer.image.scored",
                "Image events scored",
                metrics.imageScored);
        for (int expert :
                new int[] {
                    ForecastExperts.MODEL, ForecastExperts.LINEAR, ForecastExperts.PERSISTENCE
                }) {
            seriesScoredBy(registry, ForecastExperts.name(expert), metrics.seriesScoredBy(expert));
        }
        counter(
                registry,
                "streamlearn.scorer.dead.lettered",
                "Input records the scorer sent to dead-letters",
                metrics.deadLettered);
        counter(
                registry,
                "streamlearn.scorer.versions.accepted",
                "Model versions accepted into the registry",
                metrics.versionsAccepted);
        counter(
                registry,
                "streamlearn.scorer.versions.rejected",
                "Model versions refused (bad checksum, not newer, unreadable, untrusted)",
                metrics.versionsRejected);
        counter(
                registry,
                "streamlearn.scorer.versions.untrusted",
                "Of the refused versions, those refused for their signature: unsigned, signed by a"
                        + " key not trusted, or changed after signing",
                metrics.versionsUntrusted);
        counter(
                registry,
                "streamlearn.scorer.gate.events",
                "Labelled events this instance's promotion gates scored in shadow",
                metrics.gateEvents);
        gateDecisions(registry, "promoted", metrics.gatePromoted);
        gateDecisions(registry, "rejected", metrics.gateRejected);
        gateDecisions(registry, "superseded", metrics.gateSuperseded);
        gateDecisions(registry, "rolled_back", metrics.gateRolledBack);
        Gauge.builder("streamlearn.scorer.pending.events", metrics.pending, a -> a.get())
                .description("Events waiting for a first model")
                .register(registry);
    }

    private static void seriesScoredBy(MeterRegistry registry, String expert, LongAdder adder) {
        FunctionCounter.builder("streamlearn.scorer.series.scored.by", adder, LongAdder::sum)
                .tag("forecast", expert)
                .description(
                        "Series points scored against a forecast, by the forecaster's expert that"
                                + " forecast them: the whole model, its linear part, or persistence"
                                + " (each series takes the one with the lowest recent error)")
                .register(registry);
    }

    private static void gateDecisions(MeterRegistry registry, String decision, LongAdder adder) {
        FunctionCounter.builder("streamlearn.scorer.gate.decisions", adder, LongAdder::sum)
                .tag("decision", decision)
                .description("Promotion gate decisions this instance's tasks made, by decision")
                .register(registry);
    }

    private static void counter(
            MeterRegistry registry, String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .register(registry);
    }
}
