package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * One of a model's P learners: learns its share of the examples test-then-train exactly as the
 * single learner does (the same {@link ModelTrainer}), sends what it learned since its previous
 * send ({@link #takeDelta}), and rebases onto each state of the combined weights fed back to it
 * ({@link #rebase}). Its invariant: {@code local − base} is exactly the progress not yet sent,
 * where {@code base} is its parameters at its last send or rebase. No Flink here.
 *
 * <p>Its view is always the combined weights plus everything it learned that they do not include
 * yet: the sends still in flight (kept, sparse, until a state's source offsets show them included)
 * and the unsent progress. So it may rebase onto every newer state, however many sends are in
 * flight; were it to wait for a state that includes its newest send, a learner sending more often
 * than states come back would never rebase, and learners that never rebase drift apart until their
 * sum is worse than either (BENCHMARKS.md "Data-parallel learning").
 *
 * <p>Labels: a learner only ever appends labels (a label it meets takes the next slot, growing the
 * slots as {@link LabelGrowth} does), so {@code base} is kept in the learner's own layout by
 * carrying it slot for slot; a slot the learner grew since gets the learner's own value in {@code
 * base}, so its progress counts from there. A rebase onto G whole adopts its label order (labels G
 * lacks appended after its own) and moves the unsent progress and, for the fast engine, Adam's
 * moments into it column by label name ({@link TextColumns}); the DL4J engine starts its optimizer
 * afresh when that happens.
 */
final class DeltaLearner {
    private final ModelDefinition model;
    private final String id;
    private ModelTrainer trainer;
    private ModelSpec baseSpec;
    private float[] base;

    /** A base no longer used, whose array the next send copies the parameters into. */
    private float[] spare;

    /** Scratch of {@link #applyRows}: how far each carried value moves the parameters. */
    private float[] change = new float[0];

    private final Set<String> labels = new HashSet<>();
    private long examplesAtSend;
    private long fitsSinceSend;
    private double lastLoss = Double.NaN;
    private long lagMillis = -1;
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();

    /** The deltas sent that no state seen so far includes, oldest first. */
    private final Deque<Delta> inFlight = new ArrayDeque<>();

    /** The epoch and number of the combined state this learner's view holds. */
    private long epoch;

    private long sequence;

    /** Whether {@link #epoch} and {@link #sequence} name a state, so the next light one applies. */
    private boolean inStep;

    /**
     * The epoch this learner was saved in: its combiner is gone, and what it sent after the
     * checkpoint is not in the restored combined weights.
     */
    private long refusedEpoch;

    /** The epoch of the newest state taken, applied or not: the one a restore refuses. */
    private long seenEpoch;

    /** A learner without saved state: from the model's published weights, else its initial ones. */
    DeltaLearner(ModelDefinition model) {
        this.model = model;
        this.id = UUID.randomUUID().toString();
        this.trainer = TrainingFamilies.newTrainer(model);
        ModelWeights start = trainer.weights();
        this.baseSpec = start.spec();
        this.base = start.params();
        labels.addAll(TextClassifierSpec.labels(baseSpec));
    }

    DeltaLearner(ModelDefinition model, DeltaLearnerState s) {
        this.model = model;
        this.id = s.id();
        this.trainer =
                TrainingFamilies.restoreTrainer(
                        model, s.learner(), s.prequential(), s.labelCounts());
        this.baseSpec = ModelSpec.fromMap(model.kind(), s.baseSpec());
        if (s.unsent() != null) {
            // base = params − unsent; params are laid out like base (followLayout at the save).
            float[] progress = Delta.decode(s.unsent()).dense();
            float[] params = s.learner().params();
            this.base = new float[params.length];
            for (int i = 0; i < params.length; i++) {
                base[i] = params[i] - progress[i];
            }
        } else {
            this.base = s.base();
        }
        labels.addAll(
                TextClassifierSpec.labels(ModelSpec.fromMap(model.kind(), s.learner().spec())));
        this.examplesAtSend = s.examplesAtSend();
        this.fitsSinceSend = s.fitsSinceSend();
        this.lastLoss = s.lastLoss();
        this.nextOffsets.putAll(s.nextOffsets());
        s.inFlight().forEach(bytes -> inFlight.add(Delta.decode(bytes)));
        this.refusedEpoch = s.syncEpoch();
    }

    DeltaLearnerState state() {
        LearnerSnapshot snapshot = trainer.learnerSnapshot();
        followLayout(
                new ModelWeights(
                        ModelSpec.fromMap(model.kind(), snapshot.spec()), snapshot.params()));
        // Saved as what differs from base, a few rows, not as base: a checkpoint then writes the
        // model once per learner, not twice.
        Delta unsent =
                Delta.between(
                        model.name(),
                        id,
                        baseSpec,
                        snapshot.params(),
                        base,
                        0,
                        0,
                        Map.of(),
                        Map.of(),
                        Double.NaN,
                        -1,
                        false,
                        false);
        return new DeltaLearnerState(
                id,
                snapshot,
                trainer.metricsState(),
                trainer.labelCounts(),
                baseSpec.toMap(),
                null,
                unsent.encode(),
                examplesAtSend,
                fitsSinceSend,
                lastLoss,
                new LinkedHashMap<>(nextOffsets),
                inFlight.stream().map(Delta::encode).toList(),
                seenEpoch != 0 ? seenEpoch : refusedEpoch);
    }

    String id() {
        return id;
    }

    ModelTrainer trainer() {
        return trainer;
    }

    long fitsSinceSend() {
        return fitsSinceSend;
    }

    /** Books {@code in}'s record as consumed and, if it is an example, offers it to the trainer. */
    Offer offer(TrainingInput in, long now) {
        RecordOrigin origin = in.origin();
        nextOffsets.merge(
                new TopicPartition(origin.topic(), origin.partition()),
                origin.offset() + 1,
                Math::max);
        if (!in.isExample()) {
            return new Offer(Offer.Status.BUFFERED, null, Double.NaN);
        }
        if (origin.timestamp() >= 0) {
            lagMillis = Math.max(0, now - origin.timestamp());
        }
        Offer offer = trainer.offer(in);
        if (in instanceof TrainingInput.TextExample text
                && offer.status() != Offer.Status.REJECTED
                && labels.add(text.label())) {
            // A new label took a slot, and perhaps grew the slots: base follows, slot for slot.
            followLayout(trainer.weights());
        }
        if (offer.status() == Offer.Status.TRAINED || offer.status() == Offer.Status.REVERTED) {
            lastLoss = offer.score();
            if (offer.status() == Offer.Status.TRAINED) {
                fitsSinceSend++;
            }
        }
        return offer;
    }

    /**
     * Examples this learner has learned that no state seen so far includes: those of its sends in
     * flight and those not sent yet. Its view of the model is that far ahead of the others'.
     */
    long staleExamples() {
        long stale = trainer.examplesSeen() - examplesAtSend;
        for (Delta d : inFlight) {
            stale += d.examples();
        }
        return stale;
    }

    /**
     * Whether this learner holds a combined state that the next light one applies to; if not, its
     * deltas ask for G whole.
     */
    boolean inStep() {
        return inStep;
    }

    /** Whether anything was learned or consumed since the last send. */
    boolean hasUnsent() {
        return fitsSinceSend > 0 || trainer.examplesSeen() != examplesAtSend;
    }

    /**
     * What this learner learned since its previous send; from now on that is sent, and in flight
     * until a state includes it.
     */
    Delta takeDelta() {
        return takeDelta(false, false);
    }

    /**
     * {@link #takeDelta()}, {@code urgent} when this learner will wait for a state that includes
     * it, {@code wantsFull} when it is out of step and needs G whole.
     */
    Delta takeDelta(boolean urgent, boolean wantsFull) {
        ModelSpec spec = currentLayout();
        // The parameters as they stand become the next base; the old base's array takes the next
        // copy, so sending allocates no model-sized arrays.
        float[] local = spare != null && spare.length == base.length ? spare : null;
        spare = null;
        if (local == null) {
            local = new float[base.length];
        }
        trainer.copyParameters(local);
        long examples = trainer.examplesSeen() - examplesAtSend;
        Delta delta =
                Delta.between(
                        model.name(),
                        id,
                        spec,
                        local,
                        base,
                        examples,
                        fitsSinceSend,
                        nextOffsets,
                        trainer.metrics(),
                        lastLoss,
                        lagMillis,
                        urgent,
                        wantsFull);
        spare = base;
        base = local;
        baseSpec = spec;
        examplesAtSend = trainer.examplesSeen();
        fitsSinceSend = 0;
        inFlight.add(delta);
        return delta;
    }

    /** What {@link #rebase} did with a state. */
    enum Rebase {
        /** Its weights are in this learner's view now. */
        APPLIED,
        /** Nothing to do with it: older than the state held, or it cannot apply. */
        SKIPPED,
        /** Try it again later: a part-filled mini-batch holds examples a new layout would move. */
        WAIT
    }

    /** {@link #rebase(Deque)} of one state; true if applied. */
    boolean rebase(FeedVersion state) {
        Deque<FeedVersion> one = new ArrayDeque<>(List.of(state));
        return rebase(one) == 1;
    }

    /**
     * Rebases onto the combined states in {@code states}, in order, taking each from the queue
     * unless it has to wait ({@link Rebase#WAIT}), and returns how many applied. The learner's view
     * becomes the combined weights plus the sends still in flight (a send stops being in flight
     * once a state's source offsets reach it on every partition it covered) plus its progress not
     * yet sent, so nothing it learned is lost from its view or counted twice in the combined
     * weights.
     *
     * <p>G whole (after a start or restore, or a missed state) replaces the whole view, moving it
     * into G's label order (labels G lacks appended after its own); it waits while a part-filled
     * mini-batch holds examples whose slots a new label order could change. A light state applies
     * only to the state numbered one below it in the same epoch and a spec whose labels extend G's
     * in G's order, and changes only its rows and the head; otherwise this learner is out of step
     * and asks for G whole with its next delta.
     */
    int rebase(Deque<FeedVersion> states) {
        int applied = 0;
        while (!states.isEmpty()) {
            FeedVersion state = states.peek();
            if (state.epoch() != refusedEpoch) {
                seenEpoch = state.epoch();
            }
            Rebase done;
            if (state.epoch() == refusedEpoch && refusedEpoch != 0) {
                done = Rebase.SKIPPED;
            } else if (state.whole()) {
                if (inStep && state.epoch() == epoch && state.sequence() <= sequence) {
                    done = Rebase.SKIPPED;
                } else if (trainer.pendingExamples() > 0) {
                    done = Rebase.WAIT;
                } else {
                    rebaseWhole(state);
                    done = Rebase.APPLIED;
                }
            } else if (!inStep || state.epoch() != epoch || state.sequence() <= sequence) {
                inStep &= state.epoch() == epoch;
                done = Rebase.SKIPPED;
            } else if (state.sequence() != sequence + 1
                    || !extendsLabels(currentLayout(), state.spec())) {
                inStep = false;
                done = Rebase.SKIPPED;
            } else {
                applyRows(state);
                done = Rebase.APPLIED;
            }
            if (done == Rebase.WAIT) {
                break;
            }
            states.poll();
            if (done == Rebase.APPLIED) {
                applied++;
            }
        }
        return applied;
    }

    /**
     * The trainer's layout, {@code base} following it: the weights are copied only when a label
     * took a slot since {@code base} last followed.
     */
    private ModelSpec currentLayout() {
        ModelSpec spec = trainer.spec();
        if (!spec.equals(baseSpec)) {
            followLayout(trainer.weights());
        }
        return spec;
    }

    /**
     * Whether a learner laid out for {@code mine} can take G's head slot for slot: the same slots,
     * and G's labels the first of its own, in order (a label only this learner knows yet took the
     * next free slot, as it will in G).
     */
    private static boolean extendsLabels(ModelSpec mine, ModelSpec g) {
        if (TextColumns.slots(mine) != TextColumns.slots(g)) {
            return false;
        }
        List<String> own = TextClassifierSpec.labels(mine);
        List<String> theirs = TextClassifierSpec.labels(g);
        if (own.size() < theirs.size() || !own.subList(0, theirs.size()).equals(theirs)) {
            return false;
        }
        ModelSpec extended = g;
        for (String label : own.subList(theirs.size(), own.size())) {
            extended = TextClassifierSpec.withLabel(extended, label);
        }
        return extended.equals(mine);
    }

    /**
     * A light state onto the trainer's parameters (laid out like {@code base}), in place: per
     * carried row and for the head, the view becomes G's value plus the sends still in flight, and
     * the parameters move by as much, keeping the unsent progress.
     */
    private void applyRows(FeedVersion state) {
        while (!inFlight.isEmpty() && includes(state, inFlight.peek())) {
            inFlight.poll();
        }
        Delta[] sent = inFlight.toArray(new Delta[0]);
        int[] cursor = new int[sent.length];
        int dim = TextColumns.dim(baseSpec);
        int[] rows = state.rows();
        float[] values = state.values();
        int headStart = state.headStart();
        // One range per row and one for the head; the change is laid out as the state's values.
        int[] starts = new int[rows.length + 1];
        int[] lengths = new int[rows.length + 1];
        if (change.length < values.length) {
            change = new float[values.length];
        }
        float[] view = new float[dim];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            System.arraycopy(values, i * dim, view, 0, dim);
            for (int k = 0; k < sent.length; k++) {
                int[] theirs = sent[k].rows();
                int c = cursor[k];
                while (c < theirs.length && theirs[c] < row) {
                    c++;
                }
                cursor[k] = c;
                if (c < theirs.length && theirs[c] == row) {
                    float[] v = sent[k].rowValues();
                    for (int d = 0; d < dim; d++) {
                        view[d] += v[c * dim + d];
                    }
                }
            }
            int at = row * dim;
            starts[i] = at;
            lengths[i] = dim;
            for (int d = 0; d < dim; d++) {
                change[i * dim + d] = view[d] - base[at + d];
                base[at + d] = view[d];
            }
        }
        int offset = TextColumns.headOffset(baseSpec);
        float[] head = Arrays.copyOfRange(values, headStart, values.length);
        for (Delta d : sent) {
            TextColumns.addHead(d.spec(), d.head(), baseSpec, head, 0, 1f);
        }
        for (int j = 0; j < head.length; j++) {
            change[headStart + j] = head[j] - base[offset + j];
            base[offset + j] = head[j];
        }
        starts[rows.length] = offset;
        lengths[rows.length] = head.length;
        trainer.addToParameters(starts, lengths, change);
        sequence = state.sequence();
    }

    /** G whole: see {@link #rebase(Deque)}. */
    private void rebaseWhole(FeedVersion version) {
        // Sends are in order and their offsets grow, so a state includes a prefix of them.
        while (!inFlight.isEmpty() && includes(version, inFlight.peek())) {
            inFlight.poll();
        }
        ModelWeights local = trainer.weights();
        followLayout(local);
        float[] unsent = minus(local.params(), base);
        ModelWeights combined = version.weights();
        for (Delta d : inFlight) {
            combined =
                    TextColumns.withLabels(
                            combined, TextColumns.labelsMissing(combined.spec(), d.spec()));
        }
        combined =
                TextColumns.withSlots(
                        TextColumns.withLabels(
                                combined, TextColumns.labelsMissing(combined.spec(), local.spec())),
                        TextColumns.slots(local.spec()));
        ModelSpec spec = combined.spec();
        float[] newBase = combined.params().clone();
        for (Delta d : inFlight) {
            d.addTo(spec, newBase, 1f);
        }
        float[] params = newBase.clone();
        float[] moved = TextColumns.remap(local.spec(), unsent, spec);
        for (int i = 0; i < params.length; i++) {
            params[i] += moved[i];
        }
        install(local.spec(), spec, params, true);
        base = newBase;
        baseSpec = spec;
        epoch = version.epoch();
        sequence = version.sequence();
        inStep = true;
    }

    private static boolean includes(FeedVersion version, Delta sent) {
        for (Map.Entry<TopicPartition, Long> e : sent.nextOffsets().entrySet()) {
            Long included = version.sourceOffsets().get(e.getKey());
            if (included == null || included < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Sends no state seen so far includes, for tests. */
    int inFlight() {
        return inFlight.size();
    }

    /**
     * Takes over {@code other} (a learner of the same model restored onto this subtask after a
     * rescale): its part-filled mini-batch is fitted, and its unsent progress, examples and offsets
     * become this learner's, so this learner's next delta carries them.
     */
    void merge(DeltaLearner other) {
        other.trainer.flush();
        ModelWeights theirs = other.trainer.weights();
        other.followLayout(theirs);
        float[] theirUnsent = minus(theirs.params(), other.base);

        ModelWeights mine = trainer.weights();
        followLayout(mine);
        ModelWeights grown =
                TextColumns.withSlots(
                        TextColumns.withLabels(
                                mine, TextColumns.labelsMissing(mine.spec(), theirs.spec())),
                        TextColumns.slots(theirs.spec()));
        float[] params = grown.params().clone();
        float[] moved = TextColumns.remap(theirs.spec(), theirUnsent, grown.spec());
        for (int i = 0; i < params.length; i++) {
            params[i] += moved[i];
        }
        if (!grown.spec().equals(mine.spec())) {
            install(mine.spec(), grown.spec(), params, false);
            labels.addAll(TextClassifierSpec.labels(grown.spec()));
            followLayout(grown);
        } else {
            install(mine.spec(), mine.spec(), params, false);
        }
        examplesAtSend -= other.trainer.examplesSeen() - other.examplesAtSend;
        fitsSinceSend += other.fitsSinceSend;
        other.nextOffsets.forEach((tp, o) -> nextOffsets.merge(tp, o, Math::max));
        // Their sends in flight are in the combined weights already (sent before the checkpoint),
        // and rebasing adds them to this learner's view until a version includes them.
        inFlight.addAll(other.inFlight);
        // Restored learners come from one checkpoint, so from one combiner epoch.
        refusedEpoch = refusedEpoch != 0 ? refusedEpoch : other.refusedEpoch;
        inStep = false;
    }

    /**
     * Keeps {@code base} laid out like {@code local}: while the learner only appends labels a slot
     * keeps its place, so base is carried slot for slot; slots grown since take local's values.
     */
    private void followLayout(ModelWeights local) {
        ModelSpec spec = local.spec();
        if (spec.equals(baseSpec)) {
            return;
        }
        int oldSlots = TextColumns.slots(baseSpec);
        int newSlots = TextColumns.slots(spec);
        float[] carried = LabelGrowth.carry(baseSpec, base, newSlots);
        if (newSlots > oldSlots) {
            int head = TextColumns.headOffset(spec);
            int dim = TextColumns.dim(spec);
            float[] p = local.params();
            for (int c = oldSlots; c < newSlots; c++) {
                for (int d = 0; d < dim; d++) {
                    carried[head + d * newSlots + c] = p[head + d * newSlots + c];
                }
                carried[head + dim * newSlots + c] = p[head + dim * newSlots + c];
            }
        }
        base = carried;
        baseSpec = spec;
    }

    /**
     * Replaces the trainer's parameters (laid out for {@code from}) with {@code params} laid out
     * for {@code to}, keeping its counters, metrics and buffered examples. The fast engine's Adam
     * moments move with their columns (by label name when {@code byName}, else slot for slot); the
     * DL4J engine's optimizer starts afresh when the layout changes.
     */
    private void install(ModelSpec from, ModelSpec to, float[] params, boolean byName) {
        if (from.equals(to)) {
            // Same layout: the parameters alone change, the optimizer state stays as it is.
            trainer.startFrom(new ModelWeights(to, params));
            return;
        }
        LearnerSnapshot s = trainer.learnerSnapshot();
        float[] state = s.updaterState();
        int size = params.length;
        int oldSize = s.params().length;
        int vocab = TextColumns.vocab(from);
        float[] newState;
        int iterations = s.iterationCount();
        if (state.length == 2 * oldSize + 2 * vocab) {
            float[] m = Arrays.copyOfRange(state, 0, oldSize);
            float[] v = Arrays.copyOfRange(state, oldSize, 2 * oldSize);
            float[] m2 = byName ? TextColumns.remap(from, m, to) : carry(from, m, to);
            float[] v2 = byName ? TextColumns.remap(from, v, to) : carry(from, v, to);
            newState = new float[2 * size + 2 * vocab];
            System.arraycopy(m2, 0, newState, 0, size);
            System.arraycopy(v2, 0, newState, size, size);
            System.arraycopy(state, 2 * oldSize, newState, 2 * size, 2 * vocab);
        } else if (from.equals(to)) {
            newState = state;
        } else {
            newState = new float[0];
            iterations = 0;
        }
        LearnerSnapshot replaced =
                new LearnerSnapshot(
                        s.kind(),
                        to.toMap(),
                        params,
                        newState,
                        iterations,
                        s.epochCount(),
                        s.pending(),
                        s.examplesSeen());
        trainer =
                TrainingFamilies.restoreTrainer(
                        model, replaced, trainer.metricsState(), trainer.labelCounts());
        labels.addAll(TextClassifierSpec.labels(to));
    }

    private static float[] carry(ModelSpec from, float[] values, ModelSpec to) {
        return LabelGrowth.carry(from, values, TextColumns.slots(to));
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** The model's labels this learner knows, for tests. */
    List<String> labels() {
        return TextClassifierSpec.labels(trainer.weights().spec());
    }
}
