package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.SourceOffset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A model's global weights G under data-parallel learning: every learner's delta is added into G,
 * its columns matched to G's by label name (labels G lacks are appended, growing its slots as a
 * learner would), each of its changed embedding rows added alone, so a combine costs what the delta
 * holds, not the model's size. Deltas are summed, not averaged: each learner's delta is progress on
 * examples no other learner saw, as the single learner's steps on them would be (BENCHMARKS.md
 * "Data-parallel learning" has the comparison). No Flink here.
 */
final class Combiner implements Serializable {
    private static final long serialVersionUID = 1;

    /** How deltas are combined: added, or added divided by the number of learners. */
    enum Rule {
        SUM,
        AVERAGE
    }

    private String kind;
    private LinkedHashMap<String, String> specMap;
    private transient ModelSpec spec;
    private float[] params;
    long lastVersion;
    long examples;
    long fitsSincePublish;
    long examplesAtLastPublish;
    long lastPublishAt;
    long publishTimer = Long.MIN_VALUE;
    double lastLoss = Double.NaN;
    long lagMillis = -1;
    private final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();

    /** Each learner's newest metrics, weighted by its examples when combined. */
    private final Map<String, Map<String, Double>> learnerMetrics = new LinkedHashMap<>();

    Combiner(ModelWeights start, long lastVersion, long now) {
        setSpec(start.spec());
        this.params = start.params().clone();
        this.lastVersion = lastVersion;
        this.lastPublishAt = now;
    }

    /** A combiner restored from a checkpoint ({@link CombinerSerializer}). */
    Combiner(
            ModelSpec spec,
            float[] params,
            Map<TopicPartition, Long> offsets,
            Map<String, Map<String, Double>> learnerMetrics) {
        setSpec(spec);
        this.params = params;
        this.offsets.putAll(offsets);
        this.learnerMetrics.putAll(learnerMetrics);
    }

    /** A copy that later adds do not change: what a checkpoint writes while the job goes on. */
    Combiner copy() {
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        learnerMetrics.forEach((k, v) -> metrics.put(k, new LinkedHashMap<>(v)));
        Combiner c = new Combiner(spec(), params.clone(), offsets, metrics);
        c.lastVersion = lastVersion;
        c.examples = examples;
        c.fitsSincePublish = fitsSincePublish;
        c.examplesAtLastPublish = examplesAtLastPublish;
        c.lastPublishAt = lastPublishAt;
        c.publishTimer = publishTimer;
        c.lastLoss = lastLoss;
        c.lagMillis = lagMillis;
        return c;
    }

    /** G's spec, for {@link CombinerSerializer}. */
    ModelSpec spec() {
        if (spec == null) {
            spec = ModelSpec.fromMap(ModelFamilies.byId(kind), specMap);
        }
        return spec;
    }

    /** G itself, not a copy, for {@link CombinerSerializer}. */
    float[] params() {
        return params;
    }

    /** Per partition, the highest next offset included, for {@link CombinerSerializer}. */
    Map<TopicPartition, Long> offsets() {
        return offsets;
    }

    /** Each learner's newest metrics, for {@link CombinerSerializer}. */
    Map<String, Map<String, Double>> learnerMetrics() {
        return learnerMetrics;
    }

    /** Adds {@code delta} into G: all of it ({@link Rule#SUM}) or its {@code 1/learners}. */
    void add(Delta delta, Rule rule, int learners) {
        float scale = rule == Rule.SUM ? 1f : 1f / learners;
        List<String> missing = TextColumns.labelsMissing(spec(), delta.spec());
        if (!missing.isEmpty()) {
            ModelWeights grown = TextColumns.withLabels(new ModelWeights(spec(), params), missing);
            setSpec(grown.spec());
            params = grown.params();
        }
        if (TextColumns.dim(delta.spec()) != TextColumns.dim(spec())
                || TextColumns.vocab(delta.spec()) != TextColumns.vocab(spec())) {
            throw new IllegalArgumentException(
                    "a delta of " + delta.spec() + " cannot be added to " + spec());
        }
        delta.addTo(spec(), params, scale);
        examples += delta.examples();
        fitsSincePublish += delta.fits();
        delta.nextOffsets().forEach((tp, o) -> offsets.merge(tp, o, Math::max));
        learnerMetrics.put(delta.learner(), new LinkedHashMap<>(delta.metrics()));
        if (delta.fits() > 0) {
            lastLoss = delta.lastLoss();
        }
        if (delta.lagMillis() >= 0) {
            lagMillis = delta.lagMillis();
        }
    }

    private void setSpec(ModelSpec s) {
        spec = s;
        kind = s.kind().id();
        specMap = new LinkedHashMap<>(s.toMap());
    }

    /** G as weights (a copy). */
    ModelWeights weights() {
        return new ModelWeights(spec(), params.clone());
    }

    /** G whole, as state {@code sequence} of {@code epoch}. */
    FeedVersion whole(long epoch, long sequence) {
        return FeedVersion.whole(epoch, sequence, spec(), params, offsets);
    }

    /** G's {@code rows} and head, as state {@code sequence} of {@code epoch}. */
    FeedVersion rows(long epoch, long sequence, int[] rows) {
        return FeedVersion.rows(epoch, sequence, spec(), params, rows, offsets);
    }

    /** Per partition, the highest next offset any included delta reported. */
    List<SourceOffset> sourceOffsets() {
        List<SourceOffset> list = new ArrayList<>();
        offsets.forEach((tp, o) -> list.add(new SourceOffset(tp.topic(), tp.partition(), o)));
        return list;
    }

    /**
     * The learners' prequential metrics as one: {@code examples} summed, every other metric the
     * mean of the learners' weighted by the examples each has tested. A fading metric so combined
     * is an approximation (each learner fades over its own stream).
     */
    Map<String, Double> metrics() {
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Double> weights = new HashMap<>();
        double examplesTested = 0;
        for (Map<String, Double> m : learnerMetrics.values()) {
            double n = m.getOrDefault("examples", 0.0);
            examplesTested += n;
            for (Map.Entry<String, Double> e : m.entrySet()) {
                if (e.getKey().equals("examples") || !Double.isFinite(e.getValue()) || n <= 0) {
                    continue;
                }
                sums.merge(e.getKey(), n * e.getValue(), Double::sum);
                weights.merge(e.getKey(), n, Double::sum);
            }
        }
        Map<String, Double> combined = new LinkedHashMap<>();
        combined.put("examples", examplesTested);
        sums.forEach((name, sum) -> combined.put(name, sum / weights.get(name)));
        return combined;
    }
}
