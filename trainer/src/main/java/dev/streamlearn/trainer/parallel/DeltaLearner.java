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
 * send ({@link #takeDelta}), and rebases onto each combined version that includes its sends ({@link
 * #rebase}). Its invariant: {@code local − base} is exactly the progress not yet sent, where {@code
 * base} is its parameters at its last send or rebase. No Flink here.
 *
 * <p>Its view is always the combined weights plus everything it learned that they do not include
 * yet: the sends still in flight (kept, sparse, until a version's source offsets show them
 * included) and the unsent progress. So it may rebase onto every newer version, however many sends
 * are in flight; were it to wait for a version that includes its newest send, a learner sending
 * more often than versions come back would never rebase, and learners that never rebase drift apart
 * until their sum is worse than either (BENCHMARKS.md "Data-parallel learning").
 *
 * <p>Labels: a learner only ever appends labels (a label it meets takes the next slot, growing the
 * slots as {@link LabelGrowth} does), so {@code base} is kept in the learner's own layout by
 * carrying it slot for slot; a slot the learner grew since gets the learner's own value in {@code
 * base}, so its progress counts from there. A rebase adopts the combined version's label order
 * (labels the version lacks appended after its own) and moves the unsent progress and, for the fast
 * engine, Adam's moments into it column by label name ({@link TextColumns}); the DL4J engine starts
 * its optimizer afresh when that happens.
 */
final class DeltaLearner {
    private final ModelDefinition model;
    private final String id;
    private ModelTrainer trainer;
    private ModelSpec baseSpec;
    private float[] base;
    private final Set<String> labels = new HashSet<>();
    private long examplesAtSend;
    private long fitsSinceSend;
    private double lastLoss = Double.NaN;
    private long lagMillis = -1;
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();

    /** The deltas sent that no version seen so far includes, oldest first. */
    private final Deque<Delta> inFlight = new ArrayDeque<>();

    private long lastVersionSeen;

    /** A learner without saved state: from the model's published weights, else its initial ones. */
    DeltaLearner(ModelDefinition model) {
        this.model = model;
        this.id = UUID.randomUUID().toString();
        this.trainer = TrainingFamilies.newTrainer(model);
        ModelWeights start = trainer.weights();
        this.baseSpec = start.spec();
        this.base = start.params();
        labels.addAll(TextClassifierSpec.labels(baseSpec));
        this.lastVersionSeen = model.lastPublishedVersion();
    }

    DeltaLearner(ModelDefinition model, DeltaLearnerState s) {
        this.model = model;
        this.id = s.id();
        this.trainer =
                TrainingFamilies.restoreTrainer(
                        model, s.learner(), s.prequential(), s.labelCounts());
        this.baseSpec = ModelSpec.fromMap(model.kind(), s.baseSpec());
        this.base = s.base();
        labels.addAll(
                TextClassifierSpec.labels(ModelSpec.fromMap(model.kind(), s.learner().spec())));
        this.examplesAtSend = s.examplesAtSend();
        this.fitsSinceSend = s.fitsSinceSend();
        this.lastLoss = s.lastLoss();
        this.nextOffsets.putAll(s.nextOffsets());
        s.inFlight().forEach(bytes -> inFlight.add(Delta.decode(bytes)));
        this.lastVersionSeen = s.lastVersionSeen();
    }

    DeltaLearnerState state() {
        return new DeltaLearnerState(
                id,
                trainer.learnerSnapshot(),
                trainer.metricsState(),
                trainer.labelCounts(),
                baseSpec.toMap(),
                base.clone(),
                examplesAtSend,
                fitsSinceSend,
                lastLoss,
                new LinkedHashMap<>(nextOffsets),
                inFlight.stream().map(Delta::encode).toList(),
                lastVersionSeen);
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
     * Examples this learner has learned that no version seen so far includes: those of its sends in
     * flight and those not sent yet. Its view of the model is that far ahead of the others'.
     */
    long staleExamples() {
        long stale = trainer.examplesSeen() - examplesAtSend;
        for (Delta d : inFlight) {
            stale += d.examples();
        }
        return stale;
    }

    long lastVersionSeen() {
        return lastVersionSeen;
    }

    /** Whether anything was learned or consumed since the last send. */
    boolean hasUnsent() {
        return fitsSinceSend > 0 || trainer.examplesSeen() != examplesAtSend;
    }

    /**
     * What this learner learned since its previous send; from now on that is sent, and in flight
     * until a version includes it.
     */
    Delta takeDelta() {
        return takeDelta(false, false);
    }

    /**
     * {@link #takeDelta()}, {@code urgent} when this learner will wait for a version that includes
     * it, {@code wantsFull} when its feed has yet to read a full version.
     */
    Delta takeDelta(boolean urgent, boolean wantsFull) {
        ModelWeights local = trainer.weights();
        followLayout(local);
        long examples = trainer.examplesSeen() - examplesAtSend;
        Delta delta =
                Delta.between(
                        model.name(),
                        id,
                        local.spec(),
                        local.params(),
                        base,
                        examples,
                        fitsSinceSend,
                        nextOffsets,
                        trainer.metrics(),
                        lastLoss,
                        lagMillis,
                        urgent,
                        wantsFull);
        base = local.params();
        baseSpec = local.spec();
        examplesAtSend = trainer.examplesSeen();
        fitsSinceSend = 0;
        inFlight.add(delta);
        return delta;
    }

    /**
     * Rebases onto the combined weights of {@code version} when it is newer than the last one seen:
     * the sends it includes (its source offsets reach a send's on every partition the send covered)
     * are no longer in flight, and the new parameters are the combined ones plus the sends still in
     * flight plus the progress not yet sent, so nothing this learner learned is lost from its view
     * or counted twice in the combined weights. Waits (returns false) while a part-filled
     * mini-batch holds examples whose slots a new label order could change; it is tried again with
     * the next record or timer.
     */
    boolean rebase(FeedVersion version) {
        if (version.version() <= lastVersionSeen || trainer.pendingExamples() > 0) {
            return false;
        }
        // Sends are in order and their offsets grow, so a version includes a prefix of them.
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
        lastVersionSeen = version.version();
        return true;
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

    /** Sends no version seen so far includes, for tests. */
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
        lastVersionSeen = Math.max(lastVersionSeen, other.lastVersionSeen);
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
            float[] m = java.util.Arrays.copyOfRange(state, 0, oldSize);
            float[] v = java.util.Arrays.copyOfRange(state, oldSize, 2 * oldSize);
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
