package dev.streamlearn.models.gate;

import dev.streamlearn.models.registry.RegisteredModel;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The promotion gate of one model: which versions it scores in shadow, and what it decides from
 * their paired losses (docs/ARCHITECTURE.md, "The promotion gate").
 *
 * <ul>
 *   <li>The newest held version above the promoted one is the candidate; it is scored beside the
 *       promoted version on every labelled event and decided by a {@link PairedComparison}:
 *       promoted when not worse by more than the margin, rejected when worse or still undecided at
 *       {@code maxEvents}. A newer version supersedes an undecided candidate (recorded with its
 *       evidence so far).
 *   <li>The family's naive baseline (majority class, persistence) is scored on the same events: its
 *       loss sets the margin's floor ({@link GateOptions#baselineMargin()}), and a candidate worse
 *       than it at the gate's confidence (no margin) is rejected with that evidence, unless it is
 *       better than the serving version at the same confidence (then it is a step up from what
 *       serves, even if not yet past the baseline, as a young forecaster behind persistence is).
 *   <li>A model's first version is promoted on sight (nothing serves to compare it with; the
 *       registry already serves it, as the oldest held).
 *   <li>The best recently promoted version other than the serving one ({@code previous}) stays in
 *       shadow. A candidate is held against it as well as against the serving version, with the
 *       same margin, and is promoted only when a look shows it not worse than both (an
 *       intersection-union test: each at the gate's confidence, so both at once too); worse than
 *       either, it is rejected. Without this, each promotion could be a margin worse than the last
 *       and a chain of them could walk the quality down. On a promotion the better of the two it
 *       was held against (lower mean loss on the same events) becomes {@code previous}, named as
 *       the decision's {@code against} so the registry keeps it: {@code previous} only ever gets
 *       better on recent events, so every version that serves is within a margin of the best
 *       recently promoted one. Versions promoted long ago that the data has left behind lose that
 *       place to a newer one as soon as it does better on the same events.
 *   <li>When the serving version is worse than {@code previous} by more than the margin on the
 *       recent events (a comparison restarted every {@code rollback.maxEvents} events and after
 *       each look that clears it), the gate rolls back to it.
 * </ul>
 *
 * The gate is the only writer of its model's decisions, so it trusts its own state over the
 * registry's, which learns of a decision only when it comes back through {@code model-events}.
 * Mutable, not thread-safe; {@link #state()} and {@link #restore} carry it through a store.
 */
public final class PromotionGate {
    /**
     * What a gate remembers.
     *
     * @param promoted the version that serves, 0 before the first
     * @param previous the best recently promoted version other than {@code promoted}, kept in
     *     shadow for rollback and as the candidates' second bar; 0 for none
     * @param candidate the version scored in shadow, 0 for none
     * @param decidedUpTo every version up to this one has been decided (or superseded)
     */
    public record State(
            long promoted,
            long previous,
            long candidate,
            long decidedUpTo,
            PairedComparison.State promotion,
            PairedComparison.State rollback,
            PairedComparison.State versusBaseline,
            PairedComparison.State versusPrevious) {
        /** A state of a gate that did not yet hold candidates against {@code previous}. */
        public State(
                long promoted,
                long previous,
                long candidate,
                long decidedUpTo,
                PairedComparison.State promotion,
                PairedComparison.State rollback,
                PairedComparison.State versusBaseline) {
            this(
                    promoted,
                    previous,
                    candidate,
                    decidedUpTo,
                    promotion,
                    rollback,
                    versusBaseline,
                    PairedComparison.State.EMPTY);
        }

        /** A state of a gate that did not yet compare with a baseline. */
        public State(
                long promoted,
                long previous,
                long candidate,
                long decidedUpTo,
                PairedComparison.State promotion,
                PairedComparison.State rollback) {
            this(
                    promoted,
                    previous,
                    candidate,
                    decidedUpTo,
                    promotion,
                    rollback,
                    PairedComparison.State.EMPTY);
        }
    }

    private final String model;
    private final String baseline;
    private final GateOptions promotionOptions;
    private final GateOptions rollbackOptions;
    private long promoted;
    private long previous;
    private long candidate;
    private long decidedUpTo;
    private PairedComparison promotion;
    private PairedComparison rollback;
    private PairedComparison versusBaseline;
    private PairedComparison versusPrevious;

    /** A gate without a baseline. */
    public PromotionGate(String model, GateOptions promotionOptions, GateOptions rollbackOptions) {
        this(model, promotionOptions, rollbackOptions, null);
    }

    /**
     * @param promotionOptions how candidates are decided
     * @param rollbackOptions how the serving version is watched against the one before it
     * @param baseline the name of the family's naive baseline whose losses {@link #add} is given
     *     (e.g. "majority class"), null for none
     */
    public PromotionGate(
            String model,
            GateOptions promotionOptions,
            GateOptions rollbackOptions,
            String baseline) {
        this.model = model;
        this.baseline = baseline;
        this.promotionOptions = promotionOptions;
        this.rollbackOptions = rollbackOptions;
        this.promotion = new PairedComparison(promotionOptions);
        this.rollback = new PairedComparison(rollbackOptions);
        this.versusBaseline = new PairedComparison(promotionOptions.strict());
        this.versusPrevious = new PairedComparison(promotionOptions);
    }

    public static PromotionGate restore(
            String model, GateOptions promotionOptions, GateOptions rollbackOptions, State s) {
        return restore(model, promotionOptions, rollbackOptions, null, s);
    }

    public static PromotionGate restore(
            String model,
            GateOptions promotionOptions,
            GateOptions rollbackOptions,
            String baseline,
            State s) {
        PromotionGate gate = new PromotionGate(model, promotionOptions, rollbackOptions, baseline);
        gate.promoted = s.promoted();
        gate.previous = s.previous();
        gate.candidate = s.candidate();
        gate.decidedUpTo = s.decidedUpTo();
        gate.promotion = PairedComparison.restore(promotionOptions, s.promotion());
        gate.rollback = PairedComparison.restore(rollbackOptions, s.rollback());
        gate.versusBaseline =
                PairedComparison.restore(promotionOptions.strict(), s.versusBaseline());
        gate.versusPrevious = PairedComparison.restore(promotionOptions, s.versusPrevious());
        return gate;
    }

    public State state() {
        return new State(
                promoted,
                previous,
                candidate,
                decidedUpTo,
                promotion.state(),
                rollback.state(),
                versusBaseline.state(),
                versusPrevious.state());
    }

    /**
     * Brings the gate up to date with what the registry holds: promotes a first version, takes the
     * newest held version as the candidate (superseding an undecided older one).
     *
     * @return the decisions this made, to be recorded
     */
    public List<ModelEvent> observe(RegisteredModel registered, Instant now) {
        List<ModelEvent> decisions = new ArrayList<>();
        if (registered.policy() != ServingPolicy.GATED || registered.held().isEmpty()) {
            return decisions;
        }
        if (promoted == 0 || !registered.holds(promoted)) {
            long serving = registered.serving().orElse(0);
            if (serving == 0) {
                return decisions;
            }
            boolean known = registered.promoted().isPresent();
            promoted = serving;
            previous = registered.previous().orElse(0);
            decidedUpTo = Math.max(decidedUpTo, serving);
            if (!known) {
                decisions.add(
                        decision(GateDecision.PROMOTED, serving, 0, null, now)
                                .setReason(
                                        "first version of "
                                                + model
                                                + ": nothing served before it to compare with")
                                .build());
            }
        }
        long newest = registered.latest().orElse(0);
        boolean newer =
                newest > Math.max(promoted, decidedUpTo)
                        && newest != candidate
                        && !registered.rejected().contains(newest);
        // A candidate keeps its place until its first look: superseding it sooner would let a
        // trainer that publishes faster than minEvents labelled events arrive starve the gate
        // (every candidate restarted before it could be decided). After a look that decided
        // nothing, the newest version takes over.
        if (newer && (candidate == 0 || promotion.events() >= promotionOptions.minEvents())) {
            if (candidate != 0) {
                decisions.add(
                        decision(GateDecision.SUPERSEDED, candidate, promoted, promotion, now)
                                .setReason(
                                        "superseded by version "
                                                + newest
                                                + ", undecided after "
                                                + promotion.events()
                                                + " events")
                                .build());
                decidedUpTo = candidate;
            }
            candidate = newest;
            restartPromotion();
        }
        if (candidate != 0 && !registered.holds(candidate)) {
            // Pushed out of the registry's last K before it was decided: nothing left to score.
            decidedUpTo = Math.max(decidedUpTo, candidate);
            candidate = 0;
        }
        return decisions;
    }

    /**
     * The versions to score on the next labelled event, in this order: the promoted one, the
     * candidate (0 for none), the one promoted before (0 for none). Empty before a first version.
     */
    public long[] toScore() {
        return promoted == 0 ? new long[0] : new long[] {promoted, candidate, previous};
    }

    /**
     * Adds one labelled event's losses of the versions {@link #toScore()} named (NaN for the absent
     * ones, or one that could not be scored), without a baseline's, and decides when a look allows.
     *
     * @return the decisions this made, to be recorded
     */
    public List<ModelEvent> add(double[] losses, Instant now) {
        return add(losses, Double.NaN, now);
    }

    /**
     * Adds one labelled event's losses of the versions {@link #toScore()} named (NaN for the absent
     * ones, or one that could not be scored) and the baseline's loss on it (NaN when not known),
     * and decides when a look allows.
     *
     * @return the decisions this made, to be recorded
     */
    public List<ModelEvent> add(double[] losses, double baselineLoss, Instant now) {
        List<ModelEvent> decisions = new ArrayList<>();
        if (promoted == 0 || Double.isNaN(losses[0])) {
            return decisions;
        }
        if (candidate != 0 && !Double.isNaN(losses[1])) {
            PairedComparison.Outcome outcome = promotion.add(losses[1], losses[0], baselineLoss);
            PairedComparison.Outcome versusBest =
                    previous != 0 && !Double.isNaN(losses[2])
                            ? versusPrevious.add(losses[1], losses[2], baselineLoss)
                            : PairedComparison.Outcome.NOT_WORSE;
            if (outcome != PairedComparison.Outcome.WORSE
                    && versusPrevious.events() > 0
                    && (versusBest == PairedComparison.Outcome.WORSE
                            || versusBest == PairedComparison.Outcome.UNDECIDED_AT_MAX)) {
                decisions.add(
                        decision(GateDecision.REJECTED, candidate, previous, versusPrevious, now)
                                .setReason(
                                        versusBest == PairedComparison.Outcome.WORSE
                                                ? "worse than version "
                                                        + previous
                                                        + ", the best recently promoted, by more"
                                                        + " than "
                                                        + margin(promotionOptions)
                                                        + " at "
                                                        + percent(promotionOptions.confidence())
                                                        + " confidence"
                                                : "not shown within "
                                                        + margin(promotionOptions)
                                                        + " of version "
                                                        + previous
                                                        + ", the best recently promoted, after "
                                                        + versusPrevious.events()
                                                        + " events")
                                .build());
                decidedUpTo = candidate;
                candidate = 0;
                outcome = PairedComparison.Outcome.CONTINUE;
            } else if (outcome == PairedComparison.Outcome.NOT_WORSE
                    && versusBest != PairedComparison.Outcome.NOT_WORSE) {
                // Not yet shown within the margin of the best recently promoted: the next look.
                outcome = PairedComparison.Outcome.CONTINUE;
            }
            if (candidate != 0
                    && Double.isFinite(baselineLoss)
                    && versusBaseline.add(losses[1], baselineLoss) == PairedComparison.Outcome.WORSE
                    && outcome != PairedComparison.Outcome.WORSE
                    && !(promotion.evidence().upperBound() < 0)) {
                decisions.add(
                        decision(GateDecision.REJECTED, candidate, 0, versusBaseline, now)
                                .setReason(
                                        "worse than the "
                                                + baseline
                                                + " baseline at "
                                                + percent(promotionOptions.confidence())
                                                + " confidence, and not better than version "
                                                + promoted)
                                .build());
                decidedUpTo = candidate;
                candidate = 0;
                outcome = PairedComparison.Outcome.CONTINUE;
            }
            switch (outcome) {
                case NOT_WORSE -> {
                    // The better of the two it was held against stays in shadow: named as
                    // against, so the registry keeps it too.
                    boolean keepPrevious =
                            versusPrevious.events() > 0
                                    && versusPrevious.evidence().againstLoss()
                                            < promotion.evidence().againstLoss();
                    long kept = keepPrevious ? previous : promoted;
                    PairedComparison evidence = keepPrevious ? versusPrevious : promotion;
                    decisions.add(
                            decision(GateDecision.PROMOTED, candidate, kept, evidence, now)
                                    .setReason(
                                            "not worse than version "
                                                    + promoted
                                                    + (versusPrevious.events() > 0
                                                            ? " nor than version "
                                                                    + previous
                                                                    + ", the best recently"
                                                                    + " promoted,"
                                                            : "")
                                                    + " by more than "
                                                    + margin(promotionOptions)
                                                    + " at "
                                                    + percent(promotionOptions.confidence())
                                                    + " confidence"
                                                    + (keepPrevious
                                                            ? "; version "
                                                                    + previous
                                                                    + " did better than "
                                                                    + promoted
                                                                    + " on the same events and"
                                                                    + " stays in shadow"
                                                            : ""))
                                    .build());
                    previous = kept;
                    promoted = candidate;
                    decidedUpTo = candidate;
                    candidate = 0;
                    rollback = new PairedComparison(rollbackOptions);
                    return decisions;
                }
                case WORSE, UNDECIDED_AT_MAX -> {
                    decisions.add(
                            decision(GateDecision.REJECTED, candidate, promoted, promotion, now)
                                    .setReason(
                                            outcome == PairedComparison.Outcome.WORSE
                                                    ? "worse than version "
                                                            + promoted
                                                            + " by more than "
                                                            + margin(promotionOptions)
                                                            + " at "
                                                            + percent(promotionOptions.confidence())
                                                            + " confidence"
                                                    : "not shown within "
                                                            + margin(promotionOptions)
                                                            + " of version "
                                                            + promoted
                                                            + " after "
                                                            + promotion.events()
                                                            + " events")
                                    .build());
                    decidedUpTo = candidate;
                    candidate = 0;
                }
                case CONTINUE -> {}
            }
        }
        if (previous != 0 && !Double.isNaN(losses[2])) {
            PairedComparison.Outcome outcome = rollback.add(losses[0], losses[2], baselineLoss);
            if (outcome == PairedComparison.Outcome.WORSE) {
                decisions.add(
                        decision(GateDecision.ROLLED_BACK, previous, promoted, rollback, now)
                                .setCandidateLoss(rollback.evidence().againstLoss())
                                .setAgainstLoss(rollback.evidence().candidateLoss())
                                .setReason(
                                        "version "
                                                + promoted
                                                + " became worse than version "
                                                + previous
                                                + " by more than "
                                                + margin(rollbackOptions)
                                                + " on the last "
                                                + rollback.events()
                                                + " events, at "
                                                + percent(rollbackOptions.confidence())
                                                + " confidence")
                                .build());
                promoted = previous;
                previous = 0;
                rollback = new PairedComparison(rollbackOptions);
                // The candidate was compared with the version rolled back from: start it again.
                restartPromotion();
            } else if (outcome != PairedComparison.Outcome.CONTINUE) {
                rollback = new PairedComparison(rollbackOptions);
            }
        }
        return decisions;
    }

    private void restartPromotion() {
        promotion = new PairedComparison(promotionOptions);
        versusBaseline = new PairedComparison(promotionOptions.strict());
        versusPrevious = new PairedComparison(promotionOptions);
    }

    private ModelEvent.Builder decision(
            GateDecision kind, long version, long against, PairedComparison evidence, Instant now) {
        ModelEvent.Builder b =
                ModelEvent.newBuilder()
                        .setModel(model)
                        .setVersion(version)
                        .setDecision(kind)
                        .setAgainst(against)
                        .setAt(now);
        if (evidence != null && evidence.events() > 0) {
            PairedComparison.Evidence e = evidence.evidence();
            GateOptions o = evidence == rollback ? rollbackOptions : promotionOptions;
            if (evidence == versusBaseline) {
                b.setBaseline(baseline).setBaselineLoss(e.againstLoss());
            } else if (!Double.isNaN(e.baselineLoss())) {
                b.setBaseline(baseline).setBaselineLoss(e.baselineLoss());
            }
            b.setEvents(e.events())
                    .setCandidateLoss(e.candidateLoss())
                    .setAgainstLoss(e.againstLoss())
                    .setMargin(e.allowed())
                    .setConfidence(o.confidence());
            // The bound the decision rests on: below the margin to promote, above it otherwise.
            if (kind == GateDecision.PROMOTED) {
                b.setDifferenceBound(e.upperBound());
            } else if (kind != GateDecision.SUPERSEDED) {
                b.setDifferenceBound(e.lowerBound());
            }
        }
        return b;
    }

    /** The margin in words: the fraction of against's loss, and its floor when one applies. */
    private String margin(GateOptions o) {
        return baseline == null || o.baselineMargin() == 0
                ? percent(o.margin())
                : percent(o.margin())
                        + " (at least "
                        + percent(o.baselineMargin())
                        + " of the "
                        + baseline
                        + " baseline's loss)";
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.3g%%", 100 * fraction);
    }
}
