package dev.streamlearn.ops.bench;

import dev.streamlearn.ingestion.generate.SyntheticText;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.gate.GateOptions;
import dev.streamlearn.models.gate.LabelPrior;
import dev.streamlearn.models.gate.Losses;
import dev.streamlearn.models.gate.PairedComparison;
import dev.streamlearn.models.gate.PromotionGate;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The promotion gate's figures (issue 17) on the text stream {@code streamlearn generate text}
 * makes ({@link SyntheticText}, spam vocabulary drifting half-way): the fast learner trains
 * test-then-train and publishes a version every {@code publishEvery} labelled events; each version
 * goes through the real {@link RegistryState} (built, verified, admitted) and {@link
 * PromotionGate}, scored by the kernels the scorer builds, exactly as {@code GateProcessor} does
 * but in one loop, without Kafka. Measures the promotion delay of trained versions, how stale the
 * serving version is with the gate and without it (policy follow), the accuracy of what serves,
 * and, injected once per run after the warm-up, a sabotaged version (label-flipped or random
 * weights: events until rejected, events it scored) and a bad serving version (events until it
 * stops serving, and how). Each seed runs twice, before and after the majority-class baseline came
 * to the gate: "before" is the gate as first built (margin 5% of the serving version's loss, no
 * baseline), "after" the gate's defaults with the baseline scored as {@code TextShadow} scores it
 * (the margin at least 2% of its loss; rejection when worse than it). A benchmark harness, not a
 * test. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl ops dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * mvn -B -q -pl ops test-compile
 * cd ops &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.streamlearn.ops.bench.GateBench 40000 250 5
 * </pre>
 *
 * (arguments: events per run, labelled events between publishes, seeds). Prints Markdown. The
 * "after" gate can be varied with {@code -Dgate.min=}, {@code -Dgate.margin=} and {@code
 * -Dgate.baselineMargin=}.
 */
public final class GateBench {
    private static final String MODEL = "text-classifier";
    private static final int WARM_UP = 5_000;

    private static final String BASELINE = "majority class";

    /** A gate measured: its options, and whether it is given the baseline's losses. */
    private record Variant(String name, GateOptions gate, GateOptions rollback, boolean baseline) {}

    /** The gate as first built: margin 5% of the serving version's loss, no baseline. */
    private static final Variant BEFORE =
            new Variant(
                    "before",
                    new GateOptions(100, 1_600, 0.05, 0.99, 0),
                    new GateOptions(100, 400, 0.05, 0.99, 0),
                    false);

    /**
     * The defaults, or {@code -Dgate.min=}, {@code -Dgate.margin=}, {@code -Dgate.baselineMargin=}.
     */
    private static final Variant AFTER =
            new Variant(
                    "after",
                    new GateOptions(
                            Integer.getInteger("gate.min", GateOptions.DEFAULT_MIN_EVENTS),
                            GateOptions.DEFAULT_MAX_EVENTS,
                            Double.parseDouble(
                                    System.getProperty(
                                            "gate.margin",
                                            Double.toString(GateOptions.DEFAULT_MARGIN))),
                            GateOptions.DEFAULT_CONFIDENCE,
                            Double.parseDouble(
                                    System.getProperty(
                                            "gate.baselineMargin",
                                            Double.toString(GateOptions.DEFAULT_BASELINE_MARGIN)))),
                    ScorerOptions.DEFAULT_ROLLBACK,
                    true);

    private enum Sabotage {
        FLIPPED,
        RANDOM
    }

    private record Run(
            List<Long> promotionDelays,
            int promoted,
            int rejected,
            int rejectedVersusBaseline,
            int superseded,
            double stalenessGated,
            double stalenessFollow,
            double accuracyGated,
            double accuracyFollow,
            long sabotageEventsToReject,
            GateDecision sabotageDecision,
            long sabotageScored,
            long badServingEvents,
            GateDecision badServingEndedBy) {}

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int publishEvery = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf(
                "JVM %s, %d cores; %d events per run, a version every %d labelled events%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                events,
                publishEvery);
        for (Variant v : List.of(BEFORE, AFTER)) {
            System.out.printf(
                    "%s: gate %s, rollback %s, baseline %s%n",
                    v.name(), v.gate(), v.rollback(), v.baseline() ? BASELINE : "none");
        }
        System.out.println(
                "| gate | seed | sabotage | promoted / rejected (of which vs baseline) / superseded"
                        + " | promotion delay p50 / p90 (events) | staleness gated / follow"
                        + " (events) | accuracy served gated / follow | sabotaged: decided after"
                        + " (events), scored | bad serving version: served for (events), ended by"
                        + " |");
        System.out.println("|---|---:|---|---|---|---|---|---|---|");
        Map<String, List<Long>> allDelays = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (Sabotage sabotage : Sabotage.values()) {
                for (Variant v : List.of(BEFORE, AFTER)) {
                    Run r = run(seed, events, publishEvery, sabotage, v);
                    allDelays
                            .computeIfAbsent(v.name(), k -> new ArrayList<>())
                            .addAll(r.promotionDelays());
                    ratios.computeIfAbsent(v.name(), k -> new ArrayList<>())
                            .add(r.stalenessGated() / r.stalenessFollow());
                    System.out.printf(
                            "| %s | %d | %s | %d / %d (%d) / %d | %d / %d | %.0f / %.0f (%.2fx) |"
                                    + " %.4f / %.4f | %s after %d, %d scored | %d, %s |%n",
                            v.name(),
                            seed,
                            sabotage.name().toLowerCase(),
                            r.promoted(),
                            r.rejected(),
                            r.rejectedVersusBaseline(),
                            r.superseded(),
                            percentile(r.promotionDelays(), 0.5),
                            percentile(r.promotionDelays(), 0.9),
                            r.stalenessGated(),
                            r.stalenessFollow(),
                            r.stalenessGated() / r.stalenessFollow(),
                            r.accuracyGated(),
                            r.accuracyFollow(),
                            r.sabotageDecision(),
                            r.sabotageEventsToReject(),
                            r.sabotageScored(),
                            r.badServingEvents(),
                            r.badServingEndedBy());
                    System.out.flush();
                }
            }
        }
        for (String v : allDelays.keySet()) {
            List<Long> d = allDelays.get(v);
            System.out.printf(
                    "%s, all runs: %d promotions, delay p50 %d, p90 %d, max %d labelled events;"
                            + " staleness gated / follow %.2fx-%.2fx%n",
                    v,
                    d.size(),
                    percentile(d, 0.5),
                    percentile(d, 0.9),
                    percentile(d, 1.0),
                    ratios.get(v).stream().mapToDouble(x -> x).min().orElse(Double.NaN),
                    ratios.get(v).stream().mapToDouble(x -> x).max().orElse(Double.NaN));
        }
    }

    private static Run run(
            long seed, int events, int publishEvery, Sabotage sabotage, Variant variant) {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 1 << 14)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 32);
        TextLearner learner = TextClassifierTraining.INSTANCE.newLearner(spec);
        RegistryState registry = RegistryState.empty(5, VersionTrust.unsignedOnly());
        String baseline = variant.baseline() ? BASELINE : null;
        PromotionGate gate = new PromotionGate(MODEL, variant.gate(), variant.rollback(), baseline);
        LabelPrior prior = new LabelPrior();
        int labels = TextClassifierSpec.labels(spec).size();
        Map<Long, TextClassifierModel> kernels = new HashMap<>();
        Map<Long, Long> admittedAt = new HashMap<>();
        Map<Long, Long> examplesOf = new HashMap<>();
        List<Long> delays = new ArrayList<>();
        int[] counts = new int[4];
        long version = 0;
        long sabotaged = -1;
        long sabotageDecidedAfter = -1;
        GateDecision sabotageDecision = null;
        long sabotageScored = 0;
        long badServing = -1;
        long badServingSince = -1;
        long badServingEvents = -1;
        GateDecision badServingEndedBy = null;
        double stalenessGated = 0;
        double stalenessFollow = 0;
        long rightGated = 0;
        long rightFollow = 0;
        long measured = 0;
        SyntheticText stream = new SyntheticText(seed, events, events / 2);
        long n = 0;
        while (stream.hasNext()) {
            TextEvent e = stream.next();
            n++;
            // Publishing: a trained version every publishEvery events, a sabotaged one once.
            if (n % publishEvery == 0 && learner.examplesSeen() > 0) {
                version++;
                ModelWeights w = learner.weights();
                if (n == WARM_UP + publishEvery && sabotaged < 0) {
                    w = sabotage == Sabotage.FLIPPED ? flipped(w) : random(w, seed);
                    sabotaged = version;
                }
                registry = admit(registry, w, version, learner.examplesSeen(), kernels);
                admittedAt.put(version, n);
                examplesOf.put(version, learner.examplesSeen());
            }
            // A bad serving version, injected once the sabotaged version is decided: the
            // flipped copy of the version serving, made to serve as if promoted in error.
            if (sabotageDecision != null && badServing < 0 && n > WARM_UP + 4 * publishEvery) {
                long good = registry.serving(MODEL).getAsLong();
                version++;
                badServing = version;
                registry =
                        admit(
                                registry,
                                flipped(kernels.get(good).weights()),
                                version,
                                examplesOf.get(good),
                                kernels);
                examplesOf.put(version, examplesOf.get(good));
                ModelEvent forced = event(version, GateDecision.PROMOTED, good);
                registry = registry.decide(forced);
                gate =
                        PromotionGate.restore(
                                MODEL,
                                variant.gate(),
                                variant.rollback(),
                                baseline,
                                new PromotionGate.State(
                                        version,
                                        good,
                                        0,
                                        version,
                                        PairedComparison.State.EMPTY,
                                        PairedComparison.State.EMPTY));
                badServingSince = n;
            }
            var registered = registry.model(MODEL);
            if (registered.isPresent()) {
                long serving = registry.serving(MODEL).getAsLong();
                long latest = registry.latest(MODEL).getAsLong();
                if (serving == sabotaged) {
                    sabotageScored++;
                }
                // What serves, tested before training, as the scorer would score it.
                if (n > WARM_UP) {
                    measured++;
                    rightGated += right(kernels.get(serving), e) ? 1 : 0;
                    rightFollow += right(kernels.get(latest), e) ? 1 : 0;
                    stalenessGated += learner.examplesSeen() - examplesOf.get(serving);
                    stalenessFollow += learner.examplesSeen() - examplesOf.get(latest);
                }
                List<ModelEvent> decisions =
                        new ArrayList<>(gate.observe(registered.get(), Instant.EPOCH));
                long[] versions = gate.toScore();
                double[] losses = new double[versions.length];
                for (int i = 0; i < versions.length; i++) {
                    TextClassifierModel k = kernels.get(versions[i]);
                    losses[i] =
                            k == null
                                    ? Double.NaN
                                    : Losses.logLoss(
                                            k.test(
                                                            k.tokenizer().tokenize(e.getText()),
                                                            e.getLabel())
                                                    .probabilityOfActual());
                }
                double baselineLoss =
                        variant.baseline()
                                ? Losses.logLoss(prior.probability(e.getLabel(), labels))
                                : Double.NaN;
                if (versions.length > 0) {
                    decisions.addAll(gate.add(losses, baselineLoss, Instant.EPOCH));
                }
                for (ModelEvent d : decisions) {
                    registry = registry.decide(d);
                    long v = d.getVersion();
                    switch (d.getDecision()) {
                        case PROMOTED -> {
                            if (v != sabotaged && v != badServing && d.getAgainst() != 0) {
                                counts[0]++;
                                delays.add(n - admittedAt.get(v));
                            }
                        }
                        case REJECTED -> {
                            counts[1]++;
                            counts[3] += d.getAgainst() == 0 ? 1 : 0;
                            if (v != sabotaged) {
                                System.err.printf(
                                        "%s seed %d: trained version %d rejected at event %d"
                                                + " after %d events: %s (loss %.4f vs %.4f)%n",
                                        variant.name(),
                                        seed,
                                        v,
                                        n,
                                        d.getEvents(),
                                        d.getReason(),
                                        d.getCandidateLoss(),
                                        d.getAgainstLoss());
                            }
                        }
                        case SUPERSEDED -> counts[2]++;
                        default -> {}
                    }
                    if (v == sabotaged && sabotageDecision == null) {
                        sabotageDecision = d.getDecision();
                        sabotageDecidedAfter = n - admittedAt.get(v);
                    }
                    if (badServingSince > 0
                            && badServingEndedBy == null
                            && (d.getDecision() == GateDecision.ROLLED_BACK
                                    || d.getDecision() == GateDecision.PROMOTED)
                            && v != badServing) {
                        badServingEndedBy = d.getDecision();
                        badServingEvents = n - badServingSince;
                    }
                }
            }
            prior.learn(e.getLabel());
            learner.offer(e.getText(), e.getLabel());
        }
        return new Run(
                delays,
                counts[0],
                counts[1],
                counts[3],
                counts[2],
                stalenessGated / measured,
                stalenessFollow / measured,
                (double) rightGated / measured,
                (double) rightFollow / measured,
                sabotageDecidedAfter,
                sabotageDecision,
                sabotageScored,
                badServingEvents,
                badServingEndedBy);
    }

    private static RegistryState admit(
            RegistryState registry,
            ModelWeights weights,
            long version,
            long examples,
            Map<Long, TextClassifierModel> kernels) {
        RegistryState.Admitted admitted =
                (RegistryState.Admitted)
                        registry.admit(
                                VersionContract.build(
                                        weights,
                                        new Provenance(
                                                MODEL,
                                                version,
                                                version - 1,
                                                examples,
                                                Map.of(),
                                                List.of(),
                                                Instant.EPOCH)));
        kernels.put(version, new TextClassifierModel(admitted.version().weights()));
        admitted.evicted().forEach(kernels::remove);
        return admitted.state();
    }

    private static boolean right(TextClassifierModel kernel, TextEvent e) {
        return e.getLabel()
                .equals(
                        kernel.test(kernel.tokenizer().tokenize(e.getText()), e.getLabel())
                                .predicted());
    }

    /** Every label's output column and bias moved to the next label: each text reads as another. */
    static ModelWeights flipped(ModelWeights w) {
        float[] p = w.params().clone();
        ParameterLayout layout = ParameterLayout.of(w.spec());
        ParameterBlock head = layout.block("2_W");
        ParameterBlock bias = layout.block("2_b");
        int labels = TextClassifierSpec.labels(w.spec()).size();
        for (int d = 0; d <= head.rows(); d++) {
            int row = d < head.rows() ? head.offset() + d * head.cols() : bias.offset();
            float first = p[row];
            for (int c = 0; c < labels - 1; c++) {
                p[row + c] = p[row + c + 1];
            }
            p[row + labels - 1] = first;
        }
        return new ModelWeights(w.spec(), p);
    }

    private static ModelWeights random(ModelWeights w, long seed) {
        Random random = new Random(seed);
        float[] p = new float[w.params().length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (random.nextGaussian() * 0.5);
        }
        return new ModelWeights(w.spec(), p);
    }

    private static ModelEvent event(long version, GateDecision decision, long against) {
        return ModelEvent.newBuilder()
                .setModel(MODEL)
                .setVersion(version)
                .setDecision(decision)
                .setAgainst(against)
                .setReason("injected")
                .setAt(Instant.EPOCH)
                .build();
    }

    private static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
}
