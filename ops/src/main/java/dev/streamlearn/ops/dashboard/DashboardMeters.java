package dev.streamlearn.ops.dashboard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the dashboard reads from the topics, as meters: records read per topic, scores and dead
 * letters seen, and per model its latest, serving and pinned state. Models and stages appear while
 * running, so their meters are registered when first seen, just before a scrape. Names are in
 * ops/METRICS.md.
 */
final class DashboardMeters {
    private final MeterRegistry registry;
    private final DashboardState state;
    private final Set<String> models = new HashSet<>();
    private final Set<String> stages = new HashSet<>();
    private final Set<String> groups = new HashSet<>();

    DashboardMeters(MeterRegistry registry, DashboardState state, TopicFeed feed) {
        this.registry = registry;
        this.state = state;
        bindPerTopic(
                "streamlearn.dashboard.records.read", "Records the dashboard read", feed.read());
        bindPerTopic(
                "streamlearn.dashboard.records.unreadable",
                "Records the dashboard could not decode (skipped)",
                feed.unreadable());
        for (String kind : DashboardState.SCORE_KINDS) {
            FunctionCounter.builder(
                            "streamlearn.scores.seen", state, s -> s.read(x -> x.scoresSeen(kind)))
                    .tag("kind", kind)
                    .description("Scores read from the score topics")
                    .register(registry);
        }
        FunctionCounter.builder(
                        "streamlearn.series.anomalies.seen",
                        state,
                        s -> s.read(DashboardState::anomalies))
                .description("Series scores at or above the dashboard's anomaly threshold")
                .register(registry);
    }

    /** Registers the meters of models and dead-letter stages that appeared since the last call. */
    synchronized void registerNew() {
        // Names are taken under the state's lock, meters registered outside it: a scrape reads
        // the gauges (taking the state's lock) while registration takes the registry's.
        for (String name : state.read(DashboardState::modelNames)) {
            if (models.add(name)) {
                bindModel(name);
            }
        }
        for (String group : state.read(DashboardState::lag).keySet()) {
            if (groups.add(group)) {
                Gauge.builder(
                                "streamlearn.consumer.group.lag",
                                state,
                                s -> s.read(x -> x.lag().getOrDefault(group, 0L)).doubleValue())
                        .tag("group", group)
                        .description(
                                "Records a consumer group has yet to read (committed offsets behind the last stable offsets)")
                        .register(registry);
            }
        }
        for (String stage : state.read(s -> s.deadLetters().perStage()).keySet()) {
            if (stages.add(stage)) {
                FunctionCounter.builder(
                                "streamlearn.dead.letters",
                                state,
                                s ->
                                        s.read(
                                                x ->
                                                        x.deadLetters()
                                                                .perStage()
                                                                .getOrDefault(stage, 0L)))
                        .tag("stage", stage)
                        .description(
                                "Records on the dead-letters topic, by the stage that refused them")
                        .register(registry);
            }
        }
    }

    private void bindModel(String name) {
        Tags tags = Tags.of("model", name);
        modelGauge(
                name,
                tags,
                "streamlearn.model.version.latest",
                "Newest accepted version",
                b -> b.latest());
        modelGauge(
                name,
                tags,
                "streamlearn.model.version.serving",
                "Version the scorers serve (gated: the promoted one; pinned: the pin while held;"
                        + " follow: the latest)",
                b -> b.serving());
        modelGauge(
                name,
                tags,
                "streamlearn.model.version.candidate",
                "Version the promotion gate scores in shadow, 0 for none",
                b -> b.candidate());
        modelGauge(
                name,
                tags,
                "streamlearn.model.pinned",
                "1 while a pin is in force",
                b -> b.pinned() ? 1 : 0);
        modelGauge(
                name,
                tags,
                "streamlearn.model.versions.rejected",
                "Published versions the registry would refuse",
                b -> b.rejectedVersions());
        modelGauge(
                name,
                tags,
                "streamlearn.model.versions.untrusted",
                "Of the refused versions, those refused for their signature (unsigned, unknown key,"
                        + " changed after signing)",
                b -> b.untrustedVersions());
        modelGauge(
                name,
                tags,
                "streamlearn.model.training.loss",
                "Training loss of the last mini-batch before the latest publish",
                b -> orNaN(b.lastLoss()));
        modelGauge(
                name,
                tags,
                "streamlearn.model.training.batch.size",
                "Mini-batch size the trainer used at its latest publish (grows while it lags)",
                b -> orNaN(b.lastBatchSize()));
        modelGauge(
                name,
                tags,
                "streamlearn.model.training.lag.seconds",
                "Trainer's lag at its latest publish: now minus the append time of the newest"
                        + " example it took",
                b -> {
                    Double millis = b.lastLagMillis();
                    return millis == null ? Double.NaN : millis / 1000;
                });
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private void modelGauge(
            String name,
            Tags tags,
            String meter,
            String description,
            java.util.function.ToDoubleFunction<ModelBoard> value) {
        Gauge.builder(
                        meter,
                        state,
                        s ->
                                s.read(
                                        x -> {
                                            ModelBoard board = x.modelOrNull(name);
                                            return board == null
                                                    ? Double.NaN
                                                    : value.applyAsDouble(board);
                                        }))
                .tags(tags)
                .description(description)
                .register(registry);
    }

    private void bindPerTopic(String name, String description, Map<String, LongAdder> counts) {
        counts.forEach(
                (topic, adder) ->
                        FunctionCounter.builder(name, adder, LongAdder::sum)
                                .tag("topic", topic)
                                .description(description)
                                .register(registry));
    }
}
